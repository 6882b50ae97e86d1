"""Employers and vacancies in bulk, for the demo and the search benchmark (issue 7).

`create_vacancies(count, seed=...)` writes `count` vacancies with Vietnamese titles, ISCO occupations,
provinces weighted by where the jobs are, salaries, contract types and deadlines, spread over verified
employers it creates when it is not given any (`employers=`). It is deterministic: the same seed and count
give the same rows. A small share is not searchable, as in real life: closed or expired vacancies, open ones
whose deadline passed before the nightly expiry ran, and vacancies of an employer still waiting for
verification. When the database holds registered supply contracts of licensed enterprises, a share of the
vacancies are overseas vacancies under them (the enterprise gets an employer row of its own).

Written in bulk, without the services (one audit entry per vacancy would cost more than the vacancy):
`bulk_create` in batches, or PostgreSQL `COPY` for big counts (about 1,000,000 rows in a few minutes).
`search_text` is built from normalised parts that are cached (the catalogue repeats); it is equal to what
`jobs.texts.vacancy_search_text` gives, and a sample of every batch is checked against it.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.core.text import normalise_search
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import ContractType, Employer, EmployerStatus, Vacancy, VacancyStatus
from ansinh.jobs.texts import DESCRIPTION_CHARS, skills_normalised, vacancy_search_text
from ansinh.overseas.models import Contract, ContractKind, ContractStatus, EnterpriseStatus

# (ISCO group, weight, titles, skills, salary from..to in millions of VND a month)
CATALOGUE: list[tuple[str, int, list[str], list[str], tuple[int, int]]] = [
    (
        "522",
        14,
        [
            "Nhân viên bán hàng",
            "Nhân viên bán hàng siêu thị",
            "Nhân viên tư vấn bán hàng",
            "Nhân viên bán hàng cửa hàng tiện lợi",
        ],
        ["Giao tiếp", "Bán hàng", "Chăm sóc khách hàng"],
        (6, 12),
    ),
    (
        "821",
        12,
        ["Công nhân lắp ráp", "Công nhân may", "Công nhân sản xuất", "Công nhân lắp ráp điện tử"],
        ["Đứng máy", "Lắp ráp", "Làm ca"],
        (6, 10),
    ),
    (
        "753",
        6,
        ["Thợ may công nghiệp", "Thợ may mẫu", "Thợ cắt may"],
        ["May công nghiệp", "Cắt vải"],
        (7, 12),
    ),
    (
        "241",
        6,
        ["Kế toán tổng hợp", "Kế toán thuế", "Kế toán công nợ", "Kế toán trưởng", "Kế toán kho"],
        ["Kế toán tổng hợp", "Excel", "Thuế", "MISA"],
        (9, 25),
    ),
    ("431", 4, ["Nhân viên kế toán", "Thủ quỹ", "Nhân viên thống kê"], ["Excel", "Sổ sách"], (7, 12)),
    (
        "721",
        5,
        ["Thợ hàn", "Thợ hàn điện", "Thợ hàn MIG", "Thợ hàn TIG", "Thợ hàn kết cấu thép"],
        ["Hàn điện", "Hàn MIG", "Hàn TIG", "Đọc bản vẽ"],
        (10, 20),
    ),
    ("722", 3, ["Thợ tiện", "Thợ phay CNC", "Thợ cơ khí"], ["Vận hành CNC", "Đọc bản vẽ"], (9, 18)),
    (
        "832",
        6,
        ["Lái xe tải", "Lái xe giao hàng", "Tài xế lái xe con", "Lái xe bằng C"],
        ["Bằng lái B2", "Bằng lái C", "Thông thạo đường"],
        (9, 18),
    ),
    ("833", 2, ["Lái xe container", "Lái xe khách"], ["Bằng lái FC", "Bằng lái E"], (14, 25)),
    ("932", 5, ["Lao động phổ thông", "Công nhân đóng gói", "Nhân viên kho"], ["Sức khỏe tốt"], (6, 9)),
    ("512", 4, ["Đầu bếp", "Phụ bếp", "Bếp trưởng"], ["Nấu ăn", "Vệ sinh an toàn thực phẩm"], (7, 20)),
    (
        "513",
        4,
        ["Nhân viên phục vụ", "Nhân viên pha chế", "Phục vụ nhà hàng"],
        ["Giao tiếp", "Pha chế"],
        (5, 9),
    ),
    (
        "422",
        4,
        ["Nhân viên chăm sóc khách hàng", "Nhân viên lễ tân", "Nhân viên tổng đài"],
        ["Giao tiếp", "Tin học văn phòng", "Tiếng Anh"],
        (7, 12),
    ),
    (
        "411",
        3,
        ["Nhân viên văn phòng", "Nhân viên hành chính", "Thư ký văn phòng"],
        ["Tin học văn phòng", "Soạn thảo văn bản"],
        (7, 12),
    ),
    (
        "251",
        3,
        ["Lập trình viên Python", "Lập trình viên Java", "Kỹ sư phần mềm", "Lập trình viên web"],
        ["Python", "Java", "SQL", "JavaScript"],
        (15, 40),
    ),
    (
        "243",
        3,
        ["Nhân viên marketing", "Chuyên viên tiếp thị số", "Nhân viên kinh doanh"],
        ["Tiếp thị số", "Facebook", "Bán hàng"],
        (8, 20),
    ),
    (
        "741",
        3,
        ["Thợ điện", "Thợ điện công nghiệp", "Kỹ thuật viên điện"],
        ["Điện công nghiệp", "Điện dân dụng"],
        (9, 16),
    ),
    ("711", 3, ["Thợ xây", "Thợ hồ", "Thợ cốp pha"], ["Xây dựng"], (9, 15)),
    (
        "214",
        2,
        ["Kỹ sư xây dựng", "Kỹ sư cơ khí", "Kỹ sư giám sát công trình"],
        ["AutoCAD", "Giám sát"],
        (14, 30),
    ),
    ("222", 2, ["Điều dưỡng viên", "Y tá", "Điều dưỡng đa khoa"], ["Chứng chỉ hành nghề"], (8, 15)),
    ("532", 2, ["Hộ lý", "Nhân viên chăm sóc người cao tuổi"], ["Chăm sóc người bệnh"], (7, 12)),
    (
        "233",
        2,
        ["Giáo viên tiếng Anh", "Giáo viên toán", "Giáo viên dạy kèm"],
        ["Sư phạm", "Tiếng Anh"],
        (8, 18),
    ),
    (
        "611",
        2,
        ["Công nhân nông nghiệp", "Nhân viên trồng trọt", "Công nhân chăm sóc cây cà phê"],
        ["Trồng trọt"],
        (5, 8),
    ),
    ("962", 2, ["Bảo vệ", "Nhân viên bảo vệ tòa nhà", "Nhân viên giao hàng"], ["Trung thực"], (6, 9)),
    ("911", 2, ["Nhân viên tạp vụ", "Nhân viên vệ sinh", "Giúp việc gia đình"], ["Chăm chỉ"], (5, 8)),
]

# Province codes and their weights (where the vacancies are): the big cities and industrial provinces lead.
PROVINCE_WEIGHTS = {
    "79": 22,
    "01": 16,
    "75": 8,
    "24": 6,
    "31": 5,
    "48": 5,
    "33": 3,
    "80": 3,
    "92": 3,
    "22": 3,
    "19": 2,
    "38": 2,
    "40": 2,
    "56": 2,
    "66": 2,
    "68": 2,
    "25": 2,
    "37": 2,
    "86": 1,
    "91": 1,
    "82": 1,
    "96": 1,
    "46": 1,
    "51": 1,
    "52": 1,
    "44": 1,
    "42": 1,
    "15": 1,
    "20": 1,
    "14": 1,
    "04": 1,
    "08": 1,
    "11": 1,
    "12": 1,
}

_COMPANY_KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân", "Hợp tác xã"]
_COMPANY_WORDS = [
    "An Phát",
    "Thành Công",
    "Việt Hưng",
    "Đại Dương",
    "Hòa Bình",
    "Sao Mai",
    "Minh Khang",
    "Phú Thịnh",
    "Tân Tiến",
    "Đông Á",
    "Hưng Thịnh",
    "Bình Minh",
    "Nam Việt",
    "Trường Sơn",
    "Hoàng Long",
    "Kim Ngân",
    "Thiên Phúc",
    "Đức Anh",
    "Bảo Châu",
    "Lạc Hồng",
    "Ánh Dương",
    "Quang Trung",
    "Thăng Long",
    "Cửu Long",
]
_COMPANY_TRADES = [
    "Thương mại",
    "Sản xuất",
    "Dịch vụ",
    "May mặc",
    "Cơ khí",
    "Xây dựng",
    "Thực phẩm",
    "Điện tử",
    "Vận tải",
    "Công nghệ",
    "Nông sản",
    "Dệt may",
    "Logistics",
    "Bán lẻ",
]
_DESCRIPTIONS = [
    "{employer} cần tuyển {openings} {title_l} làm việc tại {place}. Thu nhập ổn định, đóng bảo hiểm xã hội "
    "đầy đủ, thưởng lễ Tết, được đào tạo khi mới vào làm.",
    "Mô tả công việc: làm {title_l} theo sự phân công của quản lý; làm việc giờ hành chính, nghỉ Chủ nhật. "
    "Quyền lợi: lương tháng 13, du lịch hằng năm, môi trường thân thiện tại {place}.",
    "Chúng tôi tuyển {title_l}, ưu tiên ứng viên có kinh nghiệm và ở gần {place}. Hỗ trợ chỗ ở, bữa trưa và "
    "xe đưa đón. Hồ sơ gồm đơn xin việc, sơ yếu lý lịch và bản sao căn cước.",
    "Tuyển gấp {openings} vị trí {title_l}. Không yêu cầu kinh nghiệm, được hướng dẫn công việc. Làm việc "
    "tại {place}, có phụ cấp xăng xe và điện thoại.",
]
_CONTRACT_WEIGHTS = [
    (ContractType.INDEFINITE, 45),
    (ContractType.FIXED_TERM, 35),
    (ContractType.PART_TIME, 10),
    (ContractType.SEASONAL, 6),
    (ContractType.APPRENTICESHIP, 4),
]
# Of every 1,000 vacancies: how many are not searchable.
CLOSED_PER_MILLE = 60
EXPIRED_PER_MILLE = 60
OPEN_PAST_DEADLINE_PER_MILLE = 20
REMOTE_PER_MILLE = 15
ABROAD_PER_MILLE = 30
NEGOTIABLE_SALARY_PER_MILLE = 100
PENDING_EMPLOYERS_PER_MILLE = 20
VACANCIES_PER_EMPLOYER = 50
PUBLISHED_DAYS = 60
BATCH_SIZE = 5000
COPY_FROM = 20_000


@dataclass(frozen=True)
class _Boss:
    id: int
    name: str
    province_id: int
    org_path: str


@lru_cache(maxsize=100_000)
def _norm(text: str) -> str:
    return normalise_search(text)


def _weighted(rng: random.Random, items: Sequence[object], weights: Sequence[int], k: int) -> list:
    return rng.choices(items, weights=weights, k=k)


def _company_name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(_COMPANY_KINDS)} {rng.choice(_COMPANY_TRADES)} {rng.choice(_COMPANY_WORDS)} {n:05d}"


def create_employers(
    count: int, *, seed: int, provinces: Sequence[Province] | None = None, prefix: str = "VL"
) -> list[Employer]:
    """`count` domestic employers (most verified, a few waiting), each with its organisation; codes
    `{prefix}{seed}-{n}` make a second run with the same seed reuse them instead of failing."""
    rng = random.Random(seed * 7919 + 1)  # noqa: S311 - demo data
    by_code = {p.code: p for p in (provinces or Province.objects.all())}
    codes = [code for code in PROVINCE_WEIGHTS if code in by_code]
    weights = [PROVINCE_WEIGHTS[code] for code in codes]
    org_codes = [f"{prefix}{seed}-{n:06d}" for n in range(count)]
    existing = {o.code: o for o in Organisation.objects.filter(code__in=org_codes)}
    centres = {
        o.province_id: o
        for o in Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE).order_by("-id")
    }
    now = timezone.now()
    plan = []
    for n, code in enumerate(org_codes):
        province = by_code[rng.choices(codes, weights=weights)[0]]
        plan.append(
            (code, _company_name(rng, n), province, rng.randrange(1000) < PENDING_EMPLOYERS_PER_MILLE)
        )
    with transaction.atomic():
        new = [
            Organisation(code=code, name=name, kind=OrganisationKind.EMPLOYER, province=province, path="")
            for code, name, province, _ in plan
            if code not in existing
        ]
        for start in range(0, len(new), BATCH_SIZE):
            Organisation.objects.bulk_create(new[start : start + BATCH_SIZE])
        if new:
            created = Organisation.objects.filter(code__in=[o.code for o in new], path="")
            updated = []
            for org in created:
                org.path = f"/{org.pk}/"
                updated.append(org)
            Organisation.objects.bulk_update(updated, ["path"], batch_size=BATCH_SIZE)
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=org_codes)}
        have = set(
            Employer.objects.filter(organisation__in=orgs.values()).values_list("organisation_id", flat=True)
        )
        employers = []
        for n, (code, _name, province, pending) in enumerate(plan):
            org = orgs[code]
            if org.pk in have:
                continue
            centre = centres.get(province.pk)
            employers.append(
                Employer(
                    organisation=org,
                    tax_code=f"9{seed % 100:02d}{n:07d}",
                    province=province,
                    address=f"Số {rng.randrange(1, 300)} đường {rng.choice(_COMPANY_WORDS)}, {province.name}",
                    contact_name="Phòng Nhân sự",
                    phone=f"+8428{rng.randrange(10**7):07d}",
                    email=f"tuyendung{n}@example.vn",
                    status=EmployerStatus.PENDING if pending else EmployerStatus.VERIFIED,
                    centre=centre,
                    verified_at=None if pending else now,
                    org_path=org.path,
                )
            )
        for start in range(0, len(employers), BATCH_SIZE):
            Employer.objects.bulk_create(employers[start : start + BATCH_SIZE])
    return list(Employer.objects.filter(organisation__code__in=org_codes).order_by("id"))


def _overseas_employers() -> list[tuple[Employer, Contract]]:
    """(employer row of a licensed enterprise, one of its registered supply contracts) pairs."""
    pairs = []
    contracts = Contract.objects.filter(
        kind=ContractKind.SUPPLY,
        status=ContractStatus.REGISTERED,
        enterprise__status=EnterpriseStatus.LICENSED,
    ).select_related("enterprise__organisation", "country", "occupation")
    for contract in contracts.order_by("id"):
        enterprise = contract.enterprise
        employer, _ = Employer.objects.get_or_create(
            organisation=enterprise.organisation,
            defaults={
                "tax_code": enterprise.tax_code,
                "province_id": enterprise.province_id,
                "address": enterprise.head_office,
                "contact_name": enterprise.legal_representative,
                "status": EmployerStatus.VERIFIED,
                "verified_at": timezone.now(),
                "org_path": enterprise.org_path,
            },
        )
        pairs.append((employer, contract))
    return pairs


def create_vacancies(
    count: int,
    *,
    seed: int,
    employers: Sequence[Employer] | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    use_copy: bool | None = None,
) -> int:
    """Writes `count` vacancies (and, without `employers`, one verified employer per
    VACANCIES_PER_EMPLOYER vacancies); returns how many were written."""
    today = today or timezone.localdate()
    if employers is None:
        employers = create_employers(max(3, count // VACANCIES_PER_EMPLOYER), seed=seed)
    if not employers:
        raise ValueError("create_vacancies needs at least one employer")
    bosses = [
        _Boss(id=e.pk, name=e.organisation.name, province_id=e.province_id, org_path=e.org_path)
        for e in Employer.objects.filter(pk__in=[e.pk for e in employers]).select_related("organisation")
    ]
    bosses.sort(key=lambda b: b.id)
    abroad = _overseas_employers()
    provinces = {p.code: p for p in Province.objects.all()}
    province_codes = [code for code in PROVINCE_WEIGHTS if code in provinces]
    province_weights = [PROVINCE_WEIGHTS[code] for code in province_codes]
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=[row[0] for row in CATALOGUE])}
    catalogue = [row for row in CATALOGUE if row[0] in occupations]
    rows = _rows(
        count,
        seed=seed,
        today=today,
        bosses=bosses,
        abroad=abroad,
        provinces=provinces,
        province_codes=province_codes,
        province_weights=province_weights,
        occupations=occupations,
        catalogue=catalogue,
    )
    if use_copy is None:
        use_copy = connection.vendor == "postgresql" and count >= COPY_FROM
    written = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            written += _write(batch, use_copy)
            batch = []
            if progress:
                progress(written)
    if batch:
        written += _write(batch, use_copy)
        if progress:
            progress(written)
    return written


_COLUMNS = [
    "employer_id",
    "title",
    "occupation_id",
    "description",
    "requirements",
    "skills_search",
    "province_id",
    "ward_id",
    "is_remote",
    "is_abroad",
    "country_id",
    "supply_contract_id",
    "salary_min",
    "salary_max",
    "contract_type",
    "openings",
    "deadline",
    "status",
    "search_text",
    "org_path",
    "created_by_id",
    "published_at",
    "updated_at",
]


def _rows(
    count: int,
    *,
    seed: int,
    today: date,
    bosses: list[_Boss],
    abroad: list[tuple[Employer, Contract]],
    provinces: dict[str, Province],
    province_codes: list[str],
    province_weights: list[int],
    occupations: dict[str, Occupation],
    catalogue: list,
) -> Iterator[dict]:
    rng = random.Random(seed)  # noqa: S311 - demo data
    weights = [row[1] for row in catalogue]
    contract_types = [c for c, _ in _CONTRACT_WEIGHTS]
    contract_weights = [w for _, w in _CONTRACT_WEIGHTS]
    by_id = {p.pk: p for p in provinces.values()}
    now = timezone.now()
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    for n in range(count):
        code, _w, titles, skills_list, (low, high) = rng.choices(catalogue, weights=weights)[0]
        job = occupations[code]
        title = rng.choice(titles)
        boss = rng.choice(bosses)
        is_abroad = bool(abroad) and rng.randrange(1000) < ABROAD_PER_MILLE
        contract: Contract | None = None
        if is_abroad:
            employer_row, contract = abroad[rng.randrange(len(abroad))]
            boss = _Boss(
                id=employer_row.pk,
                name=employer_row.organisation.name,
                province_id=employer_row.province_id,
                org_path=employer_row.org_path,
            )
        remote = not is_abroad and rng.randrange(1000) < REMOTE_PER_MILLE
        if is_abroad or remote:
            province = None
        elif rng.random() < 0.6:
            province = by_id.get(boss.province_id)
        else:
            province = provinces[rng.choices(province_codes, weights=province_weights)[0]]
        skills = ", ".join(rng.sample(skills_list, k=min(len(skills_list), rng.randint(1, 3))))
        openings = rng.choice([1, 1, 2, 3, 5, 10, 20, 50])
        if province is not None:
            place = province.name
        elif contract is not None:
            place = contract.country.name_vi
        else:
            place = "Làm việc từ xa"
        description = rng.choice(_DESCRIPTIONS).format(
            employer=boss.name, openings=openings, title_l=title.lower(), place=place
        )
        if rng.randrange(1000) < NEGOTIABLE_SALARY_PER_MILLE:
            salary_min = salary_max = None
        else:
            bottom = rng.randint(low, max(low, high - 2))
            salary_min = bottom * 1_000_000
            salary_max = rng.randint(bottom + 1, high + 3) * 1_000_000
        if contract is not None:
            salary_min = salary_max = contract.monthly_salary
        # Published over the last PUBLISHED_DAYS in the order they are written, as on a live site (newer
        # rows have higher ids and sit at the end of the table).
        published = now - timedelta(seconds=PUBLISHED_DAYS * 86400 * (1 - (n + rng.random()) / count))
        status = VacancyStatus.OPEN
        roll = rng.randrange(1000)
        deadline = today + timedelta(days=rng.randint(7, 75))
        if roll < CLOSED_PER_MILLE:
            status = VacancyStatus.CLOSED
        elif roll < CLOSED_PER_MILLE + EXPIRED_PER_MILLE:
            status = VacancyStatus.EXPIRED
            deadline = today - timedelta(days=rng.randint(1, 30))
        elif roll < CLOSED_PER_MILLE + EXPIRED_PER_MILLE + OPEN_PAST_DEADLINE_PER_MILLE:
            deadline = today - timedelta(days=rng.randint(1, 3))
        published = min(published, start_of_today + timedelta(hours=23))
        places = [place] if province is not None or is_abroad else []
        search_text = _search_text(title, job, boss.name, places, skills, description)
        if n % 997 == 0:  # the cached parts give exactly what the one builder gives
            assert search_text == vacancy_search_text(
                title=title,
                occupation=f"{job.name_vi} {job.name_en}",
                employer=boss.name,
                places=places,
                skills=skills,
                description=description,
            )
        yield {
            "employer_id": boss.id,
            "title": title,
            "occupation_id": job.pk,
            "description": description,
            "requirements": skills,
            "skills_search": skills_normalised(skills),
            "province_id": province.pk if province is not None else None,
            "ward_id": None,
            "is_remote": remote,
            "is_abroad": is_abroad,
            "country_id": contract.country_id if contract is not None else None,
            "supply_contract_id": contract.pk if contract is not None else None,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "contract_type": rng.choices(contract_types, weights=contract_weights)[0],
            "openings": openings,
            "deadline": deadline,
            "status": status,
            "search_text": search_text,
            "org_path": boss.org_path,
            "created_by_id": None,
            "published_at": published,
            "updated_at": published,
        }


def _search_text(
    title: str, job: Occupation, employer: str, places: list[str], skills: str, desc: str
) -> str:
    parts = [
        _norm(title),
        _norm(f"{job.name_vi} {job.name_en}"),
        _norm(employer),
        *(_norm(p) for p in places),
        _norm(skills),
        normalise_search(desc[:DESCRIPTION_CHARS]),
    ]
    return " ".join(part for part in parts if part)


def _write(batch: list[dict], use_copy: bool) -> int:
    if not use_copy:
        Vacancy.objects.bulk_create([Vacancy(**row) for row in batch], batch_size=len(batch))
        return len(batch)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY jobs_vacancy ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in batch:
                copy.write_row([row[column] for column in _COLUMNS])
    return len(batch)
