import logging

from celery import shared_task

from ansinh.core.audit import verify_chain

logger = logging.getLogger(__name__)


@shared_task(name="ansinh.core.tasks.verify_audit_chain")
def verify_audit_chain() -> dict[str, object]:
    report = verify_chain()
    if not report.ok:
        logger.critical("Audit chain broken at seq %s: %s", report.first_bad_seq, report.problem)
    return {"ok": report.ok, "checked": report.checked, "first_bad_seq": report.first_bad_seq}
