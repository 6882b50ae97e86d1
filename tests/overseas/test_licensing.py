"""The licence application as a dossier: a registered enterprise files it with the evidence of each
condition; a condition not met refuses the submission, naming it; the department's approval grants the
licence and its signed decision states it."""

import pytest
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.dossiers.models import Dossier, IssuedDocument
from ansinh.dossiers.services import attachments, filing, transitions
from ansinh.overseas.errors import BreaksTheLaw
from ansinh.overseas.models import EnterpriseStatus, LicenceStatus
from ansinh.overseas.procedures import LICENCE_APPLICATION
from tests.dossiers.conftest import pdf_upload, run_on_commit  # noqa: F401
from tests.factories import make_staff
from tests.overseas.world import build_world, register

pytestmark = pytest.mark.django_db

CONDITIONS = {
    "charter_capital": 5_000_000_000,
    "all_owners_domestic": True,
    "deposit": 2_500_000_000,
    "assigned_branches": 1,
    "representative_vietnamese": True,
    "representative_education": "university",
    "representative_experience_months": 72,
    "representative_clean_record": True,
    "staff_market_development": 1,
    "staff_recruitment": 2,
    "staff_orientation": 1,
    "staff_worker_management": 1,
    "trainee_capacity": 120,
    "classroom_m2": 170,
    "dormitory_capacity": 120,
    "dormitory_m2": 420,
    "largest_room_occupants": 10,
    "separated_by_sex": True,
    "facility_owned": False,
    "lease_ends_on": "2029-06-30",
    "website": "https://haidang.vn",
}
DOCUMENTS = (
    "application",
    "business_registration",
    "deposit_certificate",
    "representative",
    "staff",
    "facility",
)


@pytest.fixture
def applicant(db):
    world = build_world()
    enterprise = register("0318765432", "Công ty CP Nhân lực Hải Đăng", "40", "haidang")
    officer = make_staff("enterprise_admin", enterprise.organisation)
    licensing_officer = make_staff("overseas_licensing_officer", world.dolab)
    return world, enterprise, officer, licensing_officer


def file(officer, enterprise, form):
    dossier = filing.dossier_start(
        actor=officer,
        procedure_code=LICENCE_APPLICATION,
        form_data=form,
        organisation_id=enterprise.organisation_id,
    )
    for code in DOCUMENTS:
        attachments.attachment_add(
            actor=officer, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    return dossier


def test_an_application_that_misses_a_condition_is_refused_naming_it(applicant, run_on_commit):  # noqa: F811
    _world, enterprise, officer, _licensing = applicant
    dossier = file(officer, enterprise, {**CONDITIONS, "charter_capital": 4_000_000_000, "classroom_m2": 100})
    with pytest.raises(BreaksTheLaw) as refused:
        transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="submit")
    codes = {v["code"] for v in refused.value.details["violations"]}
    assert codes == {"overseas.licence_capital_low", "overseas.licence_classroom_area"}
    dossier.refresh_from_db()
    assert dossier.state == "draft"


def test_the_department_grants_the_licence_by_approving_the_application(applicant, run_on_commit):  # noqa: F811
    world, enterprise, officer, licensing = applicant
    dossier = file(officer, enterprise, CONDITIONS)
    transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="submit")
    dossier.refresh_from_db()
    assert dossier.receiving_organisation == world.dolab
    transitions.dossier_act(actor=licensing, dossier_id=dossier.pk, action="accept")
    transitions.dossier_act(actor=licensing, dossier_id=dossier.pk, action="approve")
    enterprise.refresh_from_db()
    licence = enterprise.licences.get()
    assert enterprise.status == EnterpriseStatus.LICENSED
    assert licence.status == LicenceStatus.VALID
    assert licence.number == f"001/{timezone.localdate().year}/GP-QLLĐNN"  # the first of the year
    assert licence.dossier == dossier
    document = IssuedDocument.objects.get(dossier=dossier, kind="approval")
    assert document.signed_by == world.dolab.name
    # The department's officer who reads every enterprise cannot act on dossiers; the licensing officer can.
    assert licensing.memberships.get().role.scope == "organisation"


def test_an_enterprise_with_a_licence_cannot_apply_again(applicant, run_on_commit):  # noqa: F811
    world, *_ = applicant
    licensed_admin = make_staff("enterprise_admin", world.enterprise_a.organisation)
    dossier = file(licensed_admin, world.enterprise_a, CONDITIONS)
    with pytest.raises(Exception, match="licence_state"):
        transitions.dossier_act(actor=licensed_admin, dossier_id=dossier.pk, action="submit")


def test_the_enterprise_files_the_application_from_the_page_as_the_organisation(client, applicant):
    _world, enterprise, officer, _licensing = applicant
    client.force_login(officer)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    portal = client.get("/overseas/enterprise/")
    assert f'href="/procedures/{LICENCE_APPLICATION}/file/"' in portal.content.decode()
    page = client.get(f"/procedures/{LICENCE_APPLICATION}/file/")
    # The officer belongs to one organisation: it is chosen already.
    assert page.context["form"].fields["organisation"].choices == [
        (str(enterprise.organisation_id), enterprise.organisation.name)
    ]
    values = {k: ("on" if v is True else v) for k, v in CONDITIONS.items() if v is not False}
    # Without the organisation the draft is refused beside the field, nothing written.
    missing = client.post(f"/procedures/{LICENCE_APPLICATION}/file/", values)
    assert missing.status_code == 200
    assert missing.context["form"].errors["organisation"]
    assert not Dossier.objects.exists()
    saved = client.post(
        f"/procedures/{LICENCE_APPLICATION}/file/", {**values, "organisation": enterprise.organisation_id}
    )
    dossier = Dossier.objects.get()
    assert saved.status_code == 302
    assert (dossier.applicant_organisation, dossier.applicant_person) == (enterprise.organisation, None)
    assert dossier.form_data["charter_capital"] == 5_000_000_000
    listed = client.get("/overseas/enterprise/").content.decode()
    assert f'href="/dossiers/{dossier.pk}/"' in listed
