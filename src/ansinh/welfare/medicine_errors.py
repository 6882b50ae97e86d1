"""The regular-medicine service's domain errors, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError, NotFound


class NoPersonRecord(DomainError):
    code = "welfare.medicine_no_person"
    status = 409
    default_message = _("Your account is not linked to a citizen record yet, so you cannot ask for medicine.")


class NoSuchMedicineRequest(NotFound):
    code = "welfare.medicine_not_found"
    default_message = _("This medicine request does not exist or you may not see it.")


class NoSuchClinic(NotFound):
    code = "welfare.medicine_no_clinic"
    default_message = _("This clinic does not exist or does not take requests.")


class MedicineAlreadyRequested(Conflict):
    code = "welfare.medicine_duplicate"
    default_message = _(
        "You already have an open request at this clinic. Wait until it is handled, or cancel it first."
    )


class MedicineTooEarly(Conflict):
    code = "welfare.medicine_too_early"
    default_message = _(
        "You still have medicine from the last time. You can ask again a few days before it runs out."
    )


class MedicineStatusConflict(Conflict):
    code = "welfare.medicine_status"
    default_message = _("This request can no longer be changed this way.")
