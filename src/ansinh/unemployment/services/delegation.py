"""Who decides benefit claims in a province (seed 003): the provincial People's Committee delegates to the
department of home affairs or to the employment service centre. A setting per province, audited."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.unemployment import selectors
from ansinh.unemployment.models import ProvinceDelegation


def delegation_set(
    *, actor: Any, province_id: int, decider: str, legal_basis: str = ""
) -> ProvinceDelegation:
    if decider not in ProvinceDelegation.Decider.values:
        raise ValidationFailed.single("decider", _("Choose who decides."))
    if province_id not in {p.pk for p in selectors.provinces_to_delegate(actor)}:
        raise NotFound()
    with transaction.atomic():
        delegation, _created = ProvinceDelegation.objects.select_for_update().get_or_create(
            province_id=province_id
        )
        before = delegation.decider
        delegation.decider = decider
        delegation.legal_basis = legal_basis.strip()[:255]
        delegation.save()
        audit.record(
            actor=actor,
            action="unemployment.delegation_set",
            obj=delegation,
            changes={"province": province_id, "from": before, "to": decider},
        )
    return delegation
