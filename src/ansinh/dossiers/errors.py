"""Domain errors of the dossier engine, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError, NotFound, RateLimited, ValidationFailed


class InvalidTransition(Conflict):
    code = "dossier.invalid_transition"
    default_message = _("This step is not possible for the dossier in its current state.")


class ProcedureNotFound(NotFound):
    code = "dossier.procedure_not_found"
    default_message = _("There is no such procedure in force on this date.")


class NoReceivingBody(DomainError):
    code = "dossier.no_receiving_body"
    status = 422
    default_message = _("No organisation receives this procedure for the chosen province.")


class MissingDocuments(ValidationFailed):
    code = "dossier.missing_documents"
    default_message = _("Some mandatory documents are missing.")


class UploadRefused(ValidationFailed):
    code = "dossier.upload_refused"
    default_message = _("The file was not accepted.")


class LookupThrottled(RateLimited):
    code = "dossier.lookup_throttled"
    default_message = _("Too many look-ups. Please wait a few minutes and try again.")


class PartnerAuthFailed(DomainError):
    code = "partner.unauthenticated"
    status = 401
    default_message = _("The partner system could not be authenticated.")
