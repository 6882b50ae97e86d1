"""The job exchange's public pages: the home, search results, and a vacancy page with schema.org
JobPosting data; an overseas vacancy shows its registered supply contract; a closed one shows as closed."""

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.geo.models import Country
from ansinh.jobs.models import (
    Application,
    ContractType,
    Employer,
    EmployerStatus,
    FairKind,
    FairStatus,
    JobFair,
    VacancyStatus,
)
from ansinh.overseas.models import (
    Contract,
    ContractKind,
    ContractStatus,
    Enterprise,
    ForeignParty,
    ForeignPartyKind,
    Licence,
)
from tests.factories import OrganisationFactory
from tests.jobs.world import make_vacancy, occupation

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    found = LD_JSON.findall(response.content.decode())
    assert len(found) == 1, found
    return json.loads(found[0])


def abroad_vacancy(world, *, contract_status=ContractStatus.REGISTERED):
    """A licensed enterprise in Hồ Chí Minh City with a supply contract registered for Korea, posting the
    vacancy on the exchange."""
    korea = Country.objects.get(iso2="KR")
    organisation = OrganisationFactory(
        name="Công ty Cổ phần Cung ứng Nhân lực Sài Gòn", kind=OrganisationKind.ENTERPRISE, province=world.hcm
    )
    enterprise = Enterprise.objects.create(
        organisation=organisation,
        tax_code="0311111111",
        head_office="12 Nguyễn Huệ",
        province=world.hcm,
        charter_capital=5_000_000_000,
        legal_representative="Võ Văn Ba",
        org_path=organisation.path,
    )
    Licence.objects.create(enterprise=enterprise, number="123/LĐTBXH-GP", issued_on=date(2024, 5, 2))
    partner = ForeignParty.objects.create(
        kind=ForeignPartyKind.EMPLOYER, country=korea, registration_number="KR-778", name="Hanil Steel Co."
    )
    contract = Contract.objects.create(
        enterprise=enterprise,
        kind=ContractKind.SUPPLY,
        number="HĐCU-2026-015",
        foreign_party=partner,
        country=korea,
        occupation=occupation("721"),
        workers_planned=20,
        monthly_salary=42_000_000,
        contract_months=36,
        service_fee=30_000_000,
        worker_deposit=0,
        signed_on=date(2026, 1, 10),
        status=contract_status,
        registrar=world.dept_hcm,
        reply_due=date(2026, 2, 10),
        org_path=organisation.path,
        province=world.hcm,
    )
    employer = Employer.objects.create(
        organisation=organisation,
        tax_code=enterprise.tax_code,
        province=world.hcm,
        address=enterprise.head_office,
        contact_name="Võ Văn Ba",
        status=EmployerStatus.VERIFIED,
        org_path=organisation.path,
    )
    return make_vacancy(
        employer,
        title="Thợ hàn đi Hàn Quốc",
        occupation_code="721",
        salary=(40_000_000, 45_000_000),
        is_abroad=True,
        country=korea,
        supply_contract=contract,
        contract_type=ContractType.FIXED_TERM,
    )


def test_the_home_shows_a_search_box_latest_vacancies_and_upcoming_fairs(
    world, client, django_assert_max_num_queries
):
    for n in range(12):
        make_vacancy(world.employer_a, title=f"Nhân viên bán hàng {n}", occupation_code="522")
    make_vacancy(world.employer_pending, title="Việc của công ty chưa xác minh", occupation_code="522")
    soon = timezone.now() + timedelta(days=3)
    JobFair.objects.create(
        centre=world.centre_hcm,
        title="Sàn giao dịch việc làm tháng 12",
        kind=FairKind.HYBRID,
        starts_at=soon,
        ends_at=soon + timedelta(hours=4),
        province=world.hcm,
        org_path=world.centre_hcm.path,
    )
    JobFair.objects.create(
        centre=world.centre_hcm,
        title="Phiên đã qua",
        kind=FairKind.ONLINE,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
        province=world.hcm,
        org_path=world.centre_hcm.path,
        status=FairStatus.PLANNED,
    )
    with django_assert_max_num_queries(8):
        response = client.get("/jobs/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'role="search"' in text
    assert 'name="q"' in text
    assert "Nhân viên bán hàng 11" in text
    assert "Việc của công ty chưa xác minh" not in text
    assert text.count('class="card vacancy"') == 10
    assert "Sàn giao dịch việc làm tháng 12" in text
    assert "Phiên đã qua" not in text
    assert len(response.content) < 100_000


def test_search_finds_vacancies_without_diacritics_and_filters(world, client):
    make_vacancy(
        world.employer_a, title="Nhân viên kế toán kho", occupation_code="241", salary=(6_000_000, 7_000_000)
    )
    response = client.get("/jobs/search/", {"q": "ke toan"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kế toán tổng hợp" in text
    assert "Nhân viên kế toán kho" in text
    assert "Thợ hàn điện" not in text
    response = client.get("/jobs/search/", {"q": "ke toan", "salary_min": "10000000", "province": "79"})
    text = response.content.decode()
    assert "Kế toán tổng hợp" in text
    assert "Nhân viên kế toán kho" not in text
    assert 'value="79" selected' in text
    response = client.get("/jobs/search/", {"abroad": "0", "occupation": "721"})
    assert "Thợ hàn điện" in response.content.decode()


def test_search_pages_and_refuses_wrong_filters_by_field(world, client, django_assert_max_num_queries):
    for n in range(25):
        make_vacancy(world.employer_b, title=f"Công nhân cơ khí {n}", occupation_code="721")
    with django_assert_max_num_queries(10):
        first = client.get("/jobs/search/", {"q": "co khi"})
    text = first.content.decode()
    assert text.count('class="card vacancy"') == 20
    assert 'rel="next"' in text
    assert "page=2" in text
    second = client.get("/jobs/search/", {"q": "co khi", "page": "2"})
    assert second.content.decode().count('class="card vacancy"') == 6  # 25 + Thợ hàn điện (cơ khí employer)
    assert 'rel="prev"' in second.content.decode()
    bad = client.get("/jobs/search/", {"salary_min": "nhiều"})
    assert bad.status_code == 422
    assert 'id="salary_min_error"' in bad.content.decode()
    assert client.get("/jobs/search/", {"page": "x"}).status_code == 200


def test_the_vacancy_page_carries_job_posting_data(world, client):
    vacancy = world.vacancy_a
    response = client.get(f"/jobs/vacancies/{vacancy.pk}/")
    assert response.status_code == 200
    data = json_ld(response)
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Kế toán tổng hợp"
    assert data["description"].startswith("Tuyển kế toán tổng hợp")
    assert data["datePosted"] == timezone.localdate(vacancy.published_at).isoformat()
    assert data["validThrough"] == f"{vacancy.deadline.isoformat()}T23:59:59+07:00"
    assert data["employmentType"] == ["FULL_TIME"]
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Công ty TNHH Kế toán Sài Gòn"}
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressRegion": world.hcm.name,
        "addressCountry": "VN",
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "VND",
        "value": {
            "@type": "QuantitativeValue",
            "unitText": "MONTH",
            "minValue": 8_000_000,
            "maxValue": 12_000_000,
        },
    }
    assert data["url"].endswith(f"/jobs/vacancies/{vacancy.pk}/")
    assert "jobLocationType" not in data
    text = response.content.decode()
    assert '<html lang="vi">' in text
    assert "<h1" in text
    assert 'href="/accounts/login/?next=/jobs/vacancies/' in text  # anonymous: sign in to apply


def test_remote_work_and_a_title_that_tries_to_close_the_script_stay_data(world, client):
    vacancy = make_vacancy(
        world.employer_a,
        title="Lập trình viên </script><script>alert(1)</script>",
        occupation_code="251",
        is_remote=True,
        salary=(None, None),
        contract_type=ContractType.PART_TIME,
    )
    response = client.get(f"/jobs/vacancies/{vacancy.pk}/")
    assert "<script>alert(1)" not in response.content.decode()
    data = json_ld(response)
    assert data["title"] == "Lập trình viên </script><script>alert(1)</script>"
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "VN"}
    assert data["employmentType"] == ["PART_TIME"]
    assert "baseSalary" not in data


def test_an_overseas_vacancy_shows_its_registered_contract_and_how_to_spot_a_scam(world, client):
    vacancy = abroad_vacancy(world)
    response = client.get(f"/jobs/vacancies/{vacancy.pk}/")
    text = response.content.decode()
    assert 'id="supply-contract"' in text
    for shown in (
        "Công ty Cổ phần Cung ứng Nhân lực Sài Gòn",
        "123/LĐTBXH-GP",
        "HĐCU-2026-015",
        "Hanil Steel Co.",
    ):
        assert shown in text
    assert "30.000.000" in text  # the service fee the worker pays
    assert 'role="alert"' not in text.split('id="supply-contract"')[1].split("</section>")[0]
    data = json_ld(response)
    assert data["jobLocation"]["address"]["addressCountry"] == "KR"
    assert data["employmentType"] == ["FULL_TIME", "TEMPORARY"]


def test_an_overseas_offer_whose_contract_is_not_registered_is_flagged(world, client):
    vacancy = abroad_vacancy(world, contract_status=ContractStatus.SUBMITTED)
    text = client.get(f"/jobs/vacancies/{vacancy.pk}/").content.decode()
    section = text.split('id="supply-contract"')[1].split("</section>")[0]
    assert 'role="alert"' in section


def test_a_closed_or_expired_vacancy_shows_as_closed_without_job_posting_data(world, client):
    world.vacancy_a.status = VacancyStatus.CLOSED
    world.vacancy_a.save()
    response = client.get(f"/jobs/vacancies/{world.vacancy_a.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="vacancy-closed"' in text
    assert 'id="apply-form"' not in text
    assert "application/ld+json" not in text
    assert 'name="robots" content="noindex"' in text
    expired = make_vacancy(
        world.employer_b,
        title="Hết hạn",
        occupation_code="721",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    assert 'id="vacancy-closed"' in client.get(f"/jobs/vacancies/{expired.pk}/").content.decode()


def test_unknown_withdrawn_and_unverified_vacancies_are_not_found(world, client):
    assert client.get("/jobs/vacancies/999999/").status_code == 404
    hidden = make_vacancy(world.employer_pending, title="Chưa xác minh", occupation_code="522")
    assert client.get(f"/jobs/vacancies/{hidden.pk}/").status_code == 404
    world.vacancy_b.status = VacancyStatus.WITHDRAWN
    world.vacancy_b.save()
    assert client.get(f"/jobs/vacancies/{world.vacancy_b.pk}/").status_code == 404


def test_a_signed_in_seeker_sees_the_apply_form_and_then_that_they_applied(world, client):
    user = world.seeker_anonymous.person.user
    client.force_login(user)
    url = f"/jobs/vacancies/{world.vacancy_a.pk}/"
    assert 'id="apply-form"' in client.get(url).content.decode()
    Application.objects.create(
        vacancy=world.vacancy_a, seeker=world.seeker_anonymous, org_path=world.vacancy_a.org_path
    )
    text = client.get(url).content.decode()
    assert 'id="apply-form"' not in text
    assert "/jobs/applications/" in text
