"""The enterprise signs its submissions with its organisation certificate (seed 002: digital signatures).

The registration form of a contract is rendered as a PDF and signed in the enterprise's name (PAdES); the
signature is verified at once against the trusted authorities (`core.signing`: the development authority
here, the production CAs in `trusted/`) and the file, its hash and the signer the certificate names are
kept, so anyone can see who signed what. The registering body decides only a signed submission.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.core import audit, pdf, signing
from ansinh.core.errors import NotFound
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.errors import ContractStateInvalid, SignatureInvalid
from ansinh.overseas.models import Contract, ContractStatus

REASON = "Đăng ký hợp đồng đưa người lao động đi làm việc ở nước ngoài"


@dataclass(frozen=True)
class SignedPaper:
    content: bytes
    sha256: str
    signer: str  # the organisation the verified certificate names
    signed_at: datetime

    def keep_on(self, record: Any, name_prefix: str) -> None:
        """Sets the record's signature fields (`signed_file`, `signature_sha256`, `signed_by`, `signed_at`:
        contracts, worker lists and annual reports have them alike); the caller saves the record."""
        record.signature_sha256 = self.sha256
        record.signed_by = self.signer
        record.signed_at = self.signed_at
        record.signed_file.save(
            f"{name_prefix}-{self.sha256[:12]}.pdf", ContentFile(self.content), save=False
        )


def sign_as(organisation: Organisation, pdf_bytes: bytes, reason: str) -> SignedPaper:
    """The paper signed in the organisation's name and verified at once against the trusted authorities
    (a signature that does not verify is never kept: `overseas.signature_invalid`)."""
    signed = signing.sign_pdf(
        pdf_bytes, org_code=organisation.code, org_name=organisation.name, reason=reason
    )
    report = signing.verify_pdf(signed)
    if not report.valid:
        raise SignatureInvalid(details={"problem": report.problem})
    return SignedPaper(
        content=signed,
        sha256=hashlib.sha256(signed).hexdigest(),
        signer=report.signer,
        signed_at=report.signed_at or timezone.now(),
    )


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
    paper = sign_as(enterprise.organisation, contract_form_pdf(contract), REASON)
    paper.keep_on(contract, str(contract.pk))
    contract.save(update_fields=["signed_file", "signature_sha256", "signed_by", "signed_at"])
    audit.record(
        actor=actor,
        action="overseas.contract_sign",
        obj=contract,
        changes={"sha256": contract.signature_sha256, "signer": contract.signed_by},
    )
    return contract
