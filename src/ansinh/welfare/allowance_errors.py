"""The monthly social allowance's domain errors (stable codes)."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError


class AllowanceNotApplicable(DomainError):
    """The group's rules do not apply to the applicant (age, group repealed): refuse the dossier."""

    code = "welfare.allowance_not_applicable"
    status = 409
    default_message = _(
        "The allowance rules do not apply to this applicant: refuse the dossier, giving the reason."
    )


class AlreadyReceiving(Conflict):
    code = "welfare.allowance_already_receiving"
    default_message = _("This person already receives a monthly social allowance: report a change instead.")


class AllowanceStateConflict(Conflict):
    code = "welfare.allowance_state"
    default_message = _("This is not possible for the allowance in its current status.")


class ChangeAlreadyHandled(Conflict):
    code = "welfare.allowance_change_handled"
    default_message = _("This report was already handled.")
