"""The overseas-labour database's domain errors (stable codes)."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError


class LicenceStateInvalid(Conflict):
    code = "overseas.licence_state"
    default_message = _("The licence cannot take this step in its present state.")


class NotLicensed(Conflict):
    code = "overseas.not_licensed"
    default_message = _("Only an enterprise with a valid licence can register contracts and send workers.")


class BreaksTheLaw(DomainError):
    """The terms break a cap or a condition of the law: `details["violations"]` lists each rule broken, with
    its code, message and legal basis."""

    code = "overseas.rule_violated"
    status = 422
    default_message = _("The terms break the rules of the law on workers abroad.")


class ContractStateInvalid(Conflict):
    code = "overseas.contract_state"
    default_message = _("The contract has already been decided.")


class WorkerStepInvalid(Conflict):
    code = "overseas.worker_step"
    default_message = _("This step does not follow the worker's present status.")


class ImportStateInvalid(Conflict):
    code = "overseas.import_state"
    default_message = _("Only a checked list with no errors can be saved, and only once.")


class NotSigned(Conflict):
    code = "overseas.not_signed"
    default_message = _("The enterprise has not signed this submission yet.")


class SignatureInvalid(Conflict):
    code = "overseas.signature_invalid"
    default_message = _("The signature could not be verified against a trusted authority.")


class ReportClosed(Conflict):
    """The report of the year was submitted and its due date has passed: the submitted one is the record
    (the department has counted it); a correction goes through the department."""

    code = "overseas.report_closed"
    default_message = _(
        "The report of this year was submitted and its due date has passed: it can no longer be replaced."
    )
