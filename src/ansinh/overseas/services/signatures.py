"""The enterprise signs its submissions with its organisation certificate (seed 002: digital signatures).

The registration form of a contract is rendered as a PDF and signed in the enterprise's name (PAdES); the
signature is verified at once against the trusted authorities (`core.signing`: the development authority
here, the production CAs in `trusted/`) and the file, its hash and the signer the certificate names are
kept, so anyone can see who signed what. The registering body decides only a signed submission.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.core import audit, pdf, signing
from ansinh.core.errors import NotFound
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.errors import ContractStateInvalid, SignatureInvalid
from ansinh.overseas.models import Contract, ContractStatus

REASON = "Đăng ký hợp đồng đưa người lao động đi làm việc ở nước ngoài"


def contract_form_pdf(contract: Contract) -> bytes:
    """The registration form (Circular 21/2021 Mẫu 02), unsigned, in Vietnamese like every filed paper."""
    return pdf.render_pdf(
        "overseas/pdf/contract_registration.html",
        {
            "contract": contract,
            "enterprise": contract.enterprise,
            "issuer_name": contract.enterprise.organisation.name,
        },
        language="vi",
    )


@transaction.atomic
def contract_sign(*, actor: Any, contract_id: int) -> Contract:
    enterprise, acting = selectors.acting_enterprise(actor, perms.CONTRACT_REGISTER)
    if acting.kind != OrganisationKind.ENTERPRISE:
        raise NotFound()  # a branch never signs a contract (Law 69/2020 Art 17)
    contract = (
        Contract.objects.select_for_update()
        .select_related("enterprise__organisation", "foreign_party", "country", "occupation", "registrar")
        .filter(pk=contract_id, enterprise=enterprise)
        .first()
    )
    if contract is None:
        raise NotFound()
    if contract.status != ContractStatus.SUBMITTED or contract.signed_at is not None:
        raise ContractStateInvalid()
    organisation = enterprise.organisation
    signed = signing.sign_pdf(
        contract_form_pdf(contract), org_code=organisation.code, org_name=organisation.name, reason=REASON
    )
    report = signing.verify_pdf(signed)
    if not report.valid:
        raise SignatureInvalid(details={"problem": report.problem})
    contract.signature_sha256 = hashlib.sha256(signed).hexdigest()
    contract.signed_by = report.signer
    contract.signed_at = report.signed_at or timezone.now()
    contract.signed_file.save(
        f"{contract.pk}-{contract.signature_sha256[:12]}.pdf", ContentFile(signed), save=False
    )
    contract.save(update_fields=["signed_file", "signature_sha256", "signed_by", "signed_at"])
    audit.record(
        actor=actor,
        action="overseas.contract_sign",
        obj=contract,
        changes={"sha256": contract.signature_sha256, "signer": contract.signed_by},
    )
    return contract
