"""The job exchange in the demo: employers and vacancies across the country, job seekers, the demo
employer's vacancies with a booth at the main centre's online fair next week, a mobile fair in a commune,
the centre's yearly targets (seed 004's figures) and some of its year's work so the dashboard is not empty.

Bulk rows come from the benchmark generators (`jobs_vacancies`, `jobs_seekers`), so the demo at a large
`--scale` is the benchmark's data; the demo's own story goes through the services."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import Person, User
from ansinh.geo.models import Occupation
from ansinh.jobs.centres import centre_for_province
from ansinh.jobs.models import (
    ContractType,
    Employer,
    EmployerStatus,
    SeekerOccupation,
    SeekerProfile,
    SeekerProvince,
    Visibility,
)
from ansinh.jobs.services import career_talks, fairs, targets, vacancies
from ansinh.jobs.services.seekers import seeker_profile_start, seeker_profile_update
from ansinh.web.demo.jobs_seekers import SEEKER_COLUMNS, SeekerGenerator, jobs_and_provinces
from ansinh.web.demo.jobs_vacancies import create_employers, create_vacancies
from ansinh.web.demo.organisations import DemoTree

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Per 1,000 people of `--scale`: vacancies, and job seekers among those people.
VACANCIES_PER_SCALE = 200
SEEKERS_PER_SCALE = 100
# Seed 004: a provincial centre's year.
CENTRE_TARGETS = {
    "placements": 500,
    "fairs": 12,
    "mobile_fairs": 38,
    "career_talks": 20,
    "talk_attendees": 4800,
    "counselled": 1200,
    "surveys": 1500,
    "satisfied_percent": 95,
}
SCHOOLS = ["Trường THPT Nguyễn Du", "Trường THPT Lê Hồng Phong", "Trường THPT Phan Bội Châu"]
DEMO_VACANCIES = [
    ("Công nhân may công nghiệp", "815", "May công nghiệp, Vắt sổ", (7_000_000, 10_000_000)),
    ("Nhân viên kế toán kho", "241", "Kế toán, Excel", (8_000_000, 12_000_000)),
    ("Tổ trưởng chuyền may", "815", "May công nghiệp, Quản lý chuyền", (11_000_000, 15_000_000)),
]


@dataclass
class JobsDemo:
    employers: int = 0
    vacancies: int = 0
    seekers: int = 0


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VN)


def _demo_employer(tree: DemoTree) -> Employer:
    """The demo's domestic employer, verified by the centre of its province."""
    organisation = tree.employer
    centre = centre_for_province(organisation.province_id)
    assert organisation.province_id is not None
    employer, _created = Employer.objects.get_or_create(
        organisation=organisation,
        defaults={
            "tax_code": "0108765432",
            "province_id": organisation.province_id,
            "address": "Khu công nghiệp Phố Nối A",
            "contact_name": "Đỗ Thị Hạnh",
            "phone": "+84243123456",
            "email": "tuyendung@phuthinh.example.vn",
            "status": EmployerStatus.VERIFIED,
            "centre": centre,
            "verified_at": timezone.now(),
            "org_path": organisation.path,
        },
    )
    return employer


def _story(tree: DemoTree, employer: Employer, *, today: date) -> None:
    """The demo employer's vacancies at a booth of the main centre's online fair next week, a mobile fair,
    the centre's targets and a few career talks."""
    recruiter = User.objects.get(username="demo.employer")
    officer = User.objects.get(username="demo.centre")
    head = User.objects.get(username="demo.head")
    posted = [
        vacancies.vacancy_post(
            actor=recruiter,
            title=title,
            occupation=code,
            description=f"Công ty TNHH May mặc Phú Thịnh tuyển {title.lower()}. Làm giờ hành chính, đóng "
            "bảo hiểm xã hội đầy đủ, có xe đưa đón và bữa trưa.",
            requirements=skills,
            province=tree.employer.province.code if tree.employer.province else "",
            salary_min=salary[0],
            salary_max=salary[1],
            contract_type=ContractType.INDEFINITE,
            openings=5,
            deadline=today + timedelta(days=45),
        )
        for title, code, skills, salary in DEMO_VACANCIES
        if Occupation.objects.filter(code=code).exists()
    ]
    centre = tree.main.centre
    start = _at(today + timedelta(days=7), 8)
    online = fairs.fair_create(
        actor=officer,
        centre_id=centre.pk,
        title="Phiên giao dịch việc làm trực tuyến",
        kind="online",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        online_url="https://www.facebook.com/vieclam.demo",
    )
    booth = fairs.booth_add(
        actor=officer, fair_id=online.pk, tax_code=employer.tax_code, vacancy_ids=[v.pk for v in posted]
    )
    for n in range(3):
        slot_start = start + timedelta(minutes=30 * n)
        fairs.slot_add(
            actor=recruiter,
            booth_id=booth.pk,
            starts_at=slot_start,
            ends_at=slot_start + timedelta(minutes=20),
            capacity=3,
            video_link=f"https://meet.example.vn/phuthinh-{n + 1}",
        )
    ward = centre.province.wards.order_by("code").first() if centre.province else None
    if ward is not None:
        mobile = _at(today + timedelta(days=14), 7)
        fairs.fair_create(
            actor=officer,
            centre_id=centre.pk,
            title=f"Phiên giao dịch việc làm lưu động tại {ward.name}",
            kind="mobile",
            starts_at=mobile,
            ends_at=mobile + timedelta(hours=4),
            ward_id=ward.pk,
            venue=f"Nhà văn hóa {ward.name}",
        )
    targets.targets_set(actor=head, centre_id=centre.pk, year=today.year, targets=CENTRE_TARGETS)
    rng = random.Random(f"demo-talks-{today.year}")  # noqa: S311 - reproducible demo data
    for n, school in enumerate(
        ["Trường THPT Nguyễn Du", "Trường THPT Lê Hồng Phong", "Trường THPT Phan Bội Châu"]
    ):
        held = today - timedelta(days=20 * (n + 1))
        if held.year != today.year:
            continue
        career_talks.talk_record(
            actor=officer, centre_id=centre.pk, school=school, held_on=held, attendees=rng.randint(180, 320)
        )


def _citizen_seeker() -> None:
    """demo.citizen is also a job seeker: the documented account can apply and book at once."""
    user = User.objects.filter(username="demo.citizen").select_related("person").first()
    if user is None or user.person is None or SeekerProfile.objects.filter(person=user.person).exists():
        return
    seeker_profile_start(actor=user)
    seeker_profile_update(
        actor=user,
        headline="Công nhân may, muốn làm gần nhà",
        education="upper_secondary",
        skills="May công nghiệp, Vắt sổ",
        experience="3 năm làm công nhân may ở khu công nghiệp.",
        experience_years=3,
        occupations=["815"],
        provinces=[user.person.province.code] if user.person.province else [],
        expected_salary=8_000_000,
        visibility=Visibility.ANONYMOUS,
        is_looking=True,
    )


def _register_seekers(count: int, *, seed: int) -> int:
    """`count` people of the demo's register, at home and without an account, become job seekers (the
    benchmark's generator draws their profiles; their own province is where they live and want work)."""
    people = list(
        Person.objects.filter(user__isnull=True, job_seeker__isnull=True, overseas_records__isnull=True)
        .exclude(province=None)
        .order_by("id")
        .values_list("id", "province_id")[:count]
    )
    jobs, provinces = jobs_and_provinces()
    first = (SeekerProfile.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = SeekerGenerator(seed=seed, jobs=jobs, provinces=provinces).rows(len(people), 0, first)
    profiles, wanted_jobs, wanted_places = [], [], []
    for (person_id, province_id), row in zip(people, rows, strict=True):
        fields = dict(zip(SEEKER_COLUMNS, row["seeker"], strict=True))
        fields.update(person_id=person_id, province_id=province_id)
        profiles.append(SeekerProfile(**fields))
        seeker_id = fields["id"]
        wanted_jobs += [
            SeekerOccupation(seeker_id=seeker_id, occupation_id=job, sub_major_group=group)
            for _seeker, job, group in row["occupations"]
        ]
        places = {province_id, *(place for _seeker, place in row["provinces"][1:])}
        wanted_places += [SeekerProvince(seeker_id=seeker_id, province_id=place) for place in places]
    SeekerProfile.objects.bulk_create(profiles, batch_size=1000)
    SeekerOccupation.objects.bulk_create(wanted_jobs, batch_size=2000)
    SeekerProvince.objects.bulk_create(wanted_places, batch_size=2000)
    return len(profiles)


def load_jobs(tree: DemoTree, *, scale: int, seed: int, today: date) -> JobsDemo:
    result = JobsDemo()
    with transaction.atomic():
        employer = _demo_employer(tree)
        _citizen_seeker()
        _story(tree, employer, today=today)
    count = scale * VACANCIES_PER_SCALE
    employers = create_employers(max(3, count // 50), seed=seed, prefix="DEMO-VL")
    result.employers = len(employers) + 1
    result.vacancies = create_vacancies(count, seed=seed, employers=employers, today=today) + len(
        DEMO_VACANCIES
    )
    with transaction.atomic():
        result.seekers = _register_seekers(scale * SEEKERS_PER_SCALE, seed=seed) + 1
    return result
