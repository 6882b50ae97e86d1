"""A small world for the job-exchange tests, built straight into the tables (so every helper's tests can use
it before the services exist): Hồ Chí Minh City (79) and Hà Nội (01), each with a provincial department and
an employment service centre with an officer and a head; two verified employers (A in 79, B in 01) and one
waiting for verification (C in 79), each with an administrator; three seekers with accounts (anonymous,
full and private visibility); one open vacancy of A and one of B."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, User
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import (
    ContractType,
    EducationLevel,
    Employer,
    EmployerStatus,
    SeekerOccupation,
    SeekerProfile,
    SeekerProvince,
    Vacancy,
    Visibility,
)
from ansinh.jobs.texts import seeker_search_text, skills_normalised, vacancy_search_text
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, make_staff


@dataclass
class JobsWorld:
    hcm: Province
    hanoi: Province
    dept_hcm: Organisation
    dept_hanoi: Organisation
    centre_hcm: Organisation
    centre_hanoi: Organisation
    centre_officer: User  # Hồ Chí Minh City's centre
    centre_head: User
    other_centre_officer: User  # Hà Nội's centre
    provincial_officer: User  # Hồ Chí Minh City's department
    ministry_officer: User
    employer_a: Employer
    employer_b: Employer
    employer_pending: Employer
    admin_a: User
    admin_b: User
    admin_pending: User
    seeker_anonymous: SeekerProfile
    seeker_full: SeekerProfile
    seeker_private: SeekerProfile
    vacancy_a: Vacancy
    vacancy_b: Vacancy


def occupation(code: str) -> Occupation:
    return Occupation.objects.get(code=code)


def make_employer(
    *, tax_code: str, name: str, province: Province, centre: Organisation | None, status: str, username: str
) -> tuple[Employer, User]:
    organisation = OrganisationFactory(name=name, kind=OrganisationKind.EMPLOYER, province=province)
    verified = status == EmployerStatus.VERIFIED
    employer = Employer.objects.create(
        organisation=organisation,
        tax_code=tax_code,
        province=province,
        address=f"1 Đường Lê Lợi, {province.name}",
        contact_name="Nguyễn Văn Tuyển",
        phone="+84901234567",
        email=f"{username}@example.vn",
        status=status,
        centre=centre,
        verified_at=timezone.now() if verified else None,
        org_path=organisation.path,
    )
    return employer, make_staff("employer_admin", organisation, username=username)


def make_vacancy(
    employer: Employer,
    *,
    title: str,
    occupation_code: str,
    province: Province | None = None,
    skills: str = "",
    salary: tuple[int | None, int | None] = (8_000_000, 12_000_000),
    deadline: date | None = None,
    **fields,
) -> Vacancy:
    job = occupation(occupation_code)
    place = province or employer.province
    description = fields.pop("description", f"Tuyển {title.lower()} làm việc tại {place.name}.")
    return Vacancy.objects.create(
        employer=employer,
        title=title,
        occupation=job,
        description=description,
        requirements=skills,
        skills_search=skills_normalised(skills),
        province=None if fields.get("is_abroad") else place,
        salary_min=salary[0],
        salary_max=salary[1],
        contract_type=fields.pop("contract_type", ContractType.INDEFINITE),
        openings=fields.pop("openings", 2),
        deadline=deadline or timezone.localdate() + timedelta(days=30),
        search_text=vacancy_search_text(
            title=title,
            occupation=f"{job.name_vi} {job.name_en}",
            employer=employer.organisation.name,
            places=[place.name],
            skills=skills,
            description=description,
        ),
        org_path=employer.org_path,
        **fields,
    )


def make_seeker(
    *,
    full_name: str,
    username: str,
    province: Province,
    headline: str,
    occupations: list[str],
    provinces: list[Province] | None = None,
    skills: str = "",
    expected_salary: int | None = 9_000_000,
    visibility: str = Visibility.ANONYMOUS,
    **fields,
) -> SeekerProfile:
    person = PersonFactory(
        full_name=full_name, province=province, phone="+84912345678", email=f"{username}@example.vn"
    )
    UserFactory(username=username, person=person)
    jobs = [occupation(code) for code in occupations]
    profile = SeekerProfile.objects.create(
        person=person,
        headline=headline,
        education=fields.pop("education", EducationLevel.UPPER_SECONDARY),
        skills=skills,
        skills_search=skills_normalised(skills),
        province=province,
        expected_salary=expected_salary,
        visibility=visibility,
        search_text=seeker_search_text(
            headline=headline,
            skills=skills,
            experience=fields.get("experience", ""),
            occupations=[f"{job.name_vi} {job.name_en}" for job in jobs],
        ),
        **fields,
    )
    SeekerOccupation.objects.bulk_create(
        SeekerOccupation(seeker=profile, occupation=job, sub_major_group=job.code[:2]) for job in jobs
    )
    SeekerProvince.objects.bulk_create(
        SeekerProvince(seeker=profile, province=place) for place in (provinces or [province])
    )
    return profile


def build_world() -> JobsWorld:
    """Needs the `reference_data` fixture (real provinces and ISCO occupations)."""
    hcm, hanoi = Province.objects.get(code="79"), Province.objects.get(code="01")
    ministry = OrganisationFactory(name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY)
    dept_hcm = OrganisationFactory(
        name="Sở Nội vụ TP. Hồ Chí Minh", kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=hcm
    )
    dept_hanoi = OrganisationFactory(
        name="Sở Nội vụ Hà Nội", kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=hanoi
    )
    centre_hcm = OrganisationFactory(
        name="Trung tâm Dịch vụ việc làm TP. Hồ Chí Minh",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=hcm,
        parent=dept_hcm,
    )
    centre_hanoi = OrganisationFactory(
        name="Trung tâm Dịch vụ việc làm Hà Nội",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=hanoi,
        parent=dept_hanoi,
    )
    employer_a, admin_a = make_employer(
        tax_code="0301234567",
        name="Công ty TNHH Kế toán Sài Gòn",
        province=hcm,
        centre=centre_hcm,
        status=EmployerStatus.VERIFIED,
        username="employer-a",
    )
    employer_b, admin_b = make_employer(
        tax_code="0101234567",
        name="Công ty Cổ phần Cơ khí Thăng Long",
        province=hanoi,
        centre=centre_hanoi,
        status=EmployerStatus.VERIFIED,
        username="employer-b",
    )
    employer_pending, admin_pending = make_employer(
        tax_code="0309999999",
        name="Công ty Mới Thành Lập",
        province=hcm,
        centre=centre_hcm,
        status=EmployerStatus.PENDING,
        username="employer-c",
    )
    return JobsWorld(
        hcm=hcm,
        hanoi=hanoi,
        dept_hcm=dept_hcm,
        dept_hanoi=dept_hanoi,
        centre_hcm=centre_hcm,
        centre_hanoi=centre_hanoi,
        centre_officer=make_staff("employment_centre_officer", centre_hcm, username="centre-hcm"),
        centre_head=make_staff("employment_centre_head", centre_hcm, username="head-hcm"),
        other_centre_officer=make_staff("employment_centre_officer", centre_hanoi, username="centre-hn"),
        provincial_officer=make_staff("provincial_officer", dept_hcm, username="dept-hcm"),
        ministry_officer=make_staff("ministry_officer", ministry, username="ministry"),
        employer_a=employer_a,
        employer_b=employer_b,
        employer_pending=employer_pending,
        admin_a=admin_a,
        admin_b=admin_b,
        admin_pending=admin_pending,
        seeker_anonymous=make_seeker(
            full_name="Trần Thị Lan",
            username="seeker-lan",
            province=hcm,
            headline="Kế toán viên",
            occupations=["241"],
            skills="Kế toán tổng hợp, Excel, thuế",
            experience_years=3,
        ),
        seeker_full=make_seeker(
            full_name="Lê Văn Minh",
            username="seeker-minh",
            province=hanoi,
            headline="Thợ hàn",
            occupations=["721"],
            skills="Hàn điện, hàn MIG",
            visibility=Visibility.FULL,
            experience_years=5,
        ),
        seeker_private=make_seeker(
            full_name="Phạm Thu Hà",
            username="seeker-ha",
            province=hcm,
            headline="Nhân viên bán hàng",
            occupations=["522"],
            visibility=Visibility.PRIVATE,
        ),
        vacancy_a=make_vacancy(
            employer_a, title="Kế toán tổng hợp", occupation_code="241", skills="Kế toán tổng hợp, Excel"
        ),
        vacancy_b=make_vacancy(
            employer_b,
            title="Thợ hàn điện",
            occupation_code="721",
            skills="Hàn điện",
            salary=(10_000_000, 15_000_000),
        ),
    )
