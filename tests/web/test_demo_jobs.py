"""The demo's job exchange (`ansinh.web.demo.jobs`): vacancies and seekers that grow with the scale, the demo
employer's vacancies at a booth of the main centre's online fair, the centre's yearly targets, and the
documented citizen as a job seeker; read back through the pages the demo accounts use."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import User
from ansinh.jobs.models import CentreTarget, FairBooth, InterviewSlot, JobFair, SeekerProfile, Vacancy
from ansinh.web.demo.jobs import CENTRE_TARGETS, DEMO_VACANCIES, SEEKERS_PER_SCALE, VACANCIES_PER_SCALE

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[SESSION_2FA_KEY] = True  # as after the second factor
    session.save()
    return client


def test_the_demo_loads_the_job_exchange_the_pages_show(reference_data, tmp_path):
    out = StringIO()
    call_command("demo", "--accounts-file", str(tmp_path / "accounts.md"), stdout=out, verbosity=0)
    vacancies = Vacancy.objects.count()
    assert vacancies == VACANCIES_PER_SCALE + len(DEMO_VACANCIES)
    assert SeekerProfile.objects.count() == SEEKERS_PER_SCALE + 1
    assert f"{vacancies:,} vacancies" in out.getvalue()

    # The demo employer's vacancies are found without diacritics on the public search.
    page = Client().get("/jobs/search/", {"q": "cong nhan may"})
    assert page.status_code == 200
    assert "Công nhân may công nghiệp" in page.content.decode()

    # Its booth at next week's online fair has three interview times, open to the documented citizen.
    booth = FairBooth.objects.get()
    assert booth.employer.organisation.code == "DN-PHUTHINH"
    assert booth.vacancies.count() == len(DEMO_VACANCIES)
    assert InterviewSlot.objects.filter(booth=booth).count() == 3
    fair = JobFair.objects.get(pk=booth.fair_id)
    citizen = _client("demo.citizen")
    detail = citizen.get(f"/jobs/fairs/{fair.pk}/")
    assert detail.status_code == 200
    first_slot = InterviewSlot.objects.filter(booth=booth).order_by("starts_at").first()
    assert first_slot is not None
    assert f"/jobs/fairs/slots/{first_slot.pk}/book/" in detail.content.decode()

    # The main centre's dashboard shows seed 004's targets.
    assert CentreTarget.objects.filter(
        target=CENTRE_TARGETS["mobile_fairs"], indicator="mobile_fairs"
    ).exists()
    dashboard = _client("demo.head").get("/staff/jobs/dashboard/")
    assert dashboard.status_code == 200
    assert 'data-indicator="placements"' in dashboard.content.decode()

    # The demo employer's portal lists its vacancies.
    portal = _client("demo.employer").get("/jobs/employer/")
    assert portal.status_code == 200
    assert "Tổ trưởng chuyền may" in portal.content.decode()
