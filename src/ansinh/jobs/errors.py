"""The job exchange's domain errors, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError


class EmployerNotVerified(DomainError):
    code = "jobs.employer_not_verified"
    status = 409
    default_message = _("A centre must verify the employer before it can post vacancies.")


class VacancyClosed(Conflict):
    code = "jobs.vacancy_closed"
    default_message = _("This vacancy is no longer open.")


class AlreadyApplied(Conflict):
    code = "jobs.already_applied"
    default_message = _("You have already applied for this vacancy.")


class SlotFull(Conflict):
    code = "jobs.slot_full"
    default_message = _("This interview time is fully booked. Please choose another time.")


class AlreadyBooked(Conflict):
    code = "jobs.already_booked"
    default_message = _("You have already booked this interview time.")


class StatusChangeNotAllowed(Conflict):
    code = "jobs.status_change"
    default_message = _("The application cannot move to this status from its current one.")


class NoSeekerProfile(DomainError):
    code = "jobs.no_profile"
    status = 409
    default_message = _("Create your job seeker profile first.")


class SurveyAnswered(Conflict):
    code = "jobs.survey_answered"
    default_message = _("This survey has already been answered. Thank you.")


class NotAClaimant(DomainError):
    code = "jobs.not_a_claimant"
    status = 409
    default_message = _("This person has no open unemployment benefit handled by your centre.")


class AlreadyReferred(Conflict):
    code = "jobs.already_referred"
    default_message = _("This person has already been referred to this vacancy.")
