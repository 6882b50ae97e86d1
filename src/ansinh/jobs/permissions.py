"""Permission codes of the job exchange and the employment service centres.

Seekers need none: what they do is their own (scope "own", checked against their person). Employers'
codes are not sensitive: the applicants they see chose to show themselves to that employer (they applied,
or made their profile fully visible), so a recruiter's sign-in does not require a second factor. An
employer's account administrator also holds `account.manage` (issuing its recruiters' accounts), which does.
"""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

VACANCY_MANAGE = "jobs_vacancy.manage"
EMPLOYER_VERIFY = "jobs_employer.verify"
CENTRE_OPERATE = "jobs_centre.operate"
TARGET_SET = "jobs_target.set"
STATISTICS_READ = "jobs_statistics.read"

register(VACANCY_MANAGE, _("Post the employer's vacancies and handle their applications"))
register(EMPLOYER_VERIFY, _("Verify the employers registered on the job exchange"))
register(
    CENTRE_OPERATE,
    _("Run a centre's services: fairs, counselling, career talks, the counter and placements"),
    sensitive=True,
)
register(TARGET_SET, _("Set the employment service centres' yearly targets"))
register(STATISTICS_READ, _("See the job exchange's figures and the centres' dashboards"))
