"""Job seekers in bulk, for the demo at scale and the matching benchmark (a million of them).

Each seeker is an invented person (name, sex, phone, province) with a profile: what work they look for
(1-3 ISCO minor groups, mostly in one sub-major group, a few occupations far more wanted than others),
the provinces they would work in (their own, sometimes also a big city), skills of their trade, an
expected salary, whether they would also work remotely or abroad, how visible they are (anonymous,
full or private) and whether they are looking now.

Everything is drawn from one seeded `random.Random`, so a seed gives the same seekers. The rows are
written with explicit ids in big batches: PostgreSQL COPY when the database is PostgreSQL (about a
minute per million seekers), `bulk_create` otherwise. `rebuild_indexes=True` (the benchmark) drops the
secondary indexes of the tables it fills and builds them again at the end, which is much faster than
maintaining them row by row; never use it on a database in use. The normalised columns
(`name_search`, `skills_search`, `search_text`) are built with the same functions the services use.

No account is created: these people never sign in (the demo's own seekers with accounts come from the
services).
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from ansinh.accounts.models import Person
from ansinh.core.text import normalise_search
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import (
    EducationLevel,
    SeekerOccupation,
    SeekerProfile,
    SeekerProvince,
    Visibility,
)
from ansinh.jobs.texts import seeker_search_text, skills_normalised
from ansinh.web.demo import names

BATCH = 20_000
OCCUPATION_LEVEL = 3
# Share of seekers by province (per cent); the other provinces share the rest evenly.
BIG_PROVINCES = {"79": 14.0, "01": 11.0, "48": 4.0, "31": 4.0, "92": 3.5, "40": 5.0, "38": 4.0, "24": 3.5}
BIG_CITIES = ["79", "01", "48"]
# Skills by ISCO sub-major group (2 digits); every seeker may also have some of the common ones.
TRADE_SKILLS: dict[str, list[str]] = {
    "21": ["AutoCAD", "thiết kế kỹ thuật", "giám sát công trình", "lập dự toán"],
    "22": ["chăm sóc bệnh nhân", "sơ cứu", "tiêm truyền", "dược lâm sàng"],
    "23": ["soạn giáo án", "dạy tiếng Anh", "dạy tiếng Nhật", "quản lý lớp học"],
    "24": ["kế toán tổng hợp", "Excel", "thuế", "kiểm toán", "marketing", "nhân sự"],
    "25": ["lập trình Python", "Java", "SQL", "quản trị mạng", "kiểm thử phần mềm"],
    "31": ["đọc bản vẽ", "vận hành máy CNC", "điện công nghiệp", "bảo trì thiết bị"],
    "33": ["kế toán", "bán hàng B2B", "chứng từ xuất nhập khẩu", "hành chính văn phòng"],
    "41": ["nhập liệu", "Word", "Excel", "lưu trữ hồ sơ"],
    "42": ["chăm sóc khách hàng", "lễ tân", "tổng đài"],
    "51": ["nấu ăn", "phục vụ bàn", "pha chế", "buồng phòng", "chăm sóc người già"],
    "52": ["bán hàng", "thu ngân", "trưng bày hàng", "tư vấn sản phẩm"],
    "53": ["chăm sóc trẻ em", "điều dưỡng tại nhà"],
    "54": ["bảo vệ", "phòng cháy chữa cháy"],
    "61": ["trồng rau", "chăn nuôi", "nuôi trồng thủy sản"],
    "71": ["xây trát", "cốp pha", "sơn nước", "điện dân dụng", "ống nước"],
    "72": ["hàn điện", "hàn MIG", "hàn TIG", "tiện", "phay", "sửa chữa ô tô"],
    "74": ["điện dân dụng", "điện công nghiệp", "lắp đặt điều hòa", "sửa chữa điện tử"],
    "75": ["may công nghiệp", "cắt may", "chế biến thực phẩm", "mộc"],
    "81": ["vận hành máy", "đứng máy dệt", "kiểm tra chất lượng"],
    "82": ["lắp ráp linh kiện", "lắp ráp điện tử"],
    "83": ["lái xe hạng B", "lái xe hạng C", "lái xe nâng", "lái máy xúc"],
    "91": ["dọn dẹp", "giặt là"],
    "93": ["bốc xếp", "đóng gói", "phụ hồ"],
}
COMMON_SKILLS = ["tin học văn phòng", "tiếng Anh giao tiếp", "tiếng Hàn", "tiếng Nhật", "làm việc nhóm"]
HEADLINE_PREFIX = ["Tìm việc", "Cần việc làm", "Muốn làm", "Kinh nghiệm"]
EDUCATION = [
    (EducationLevel.LOWER_SECONDARY, 12),
    (EducationLevel.UPPER_SECONDARY, 34),
    (EducationLevel.ELEMENTARY_VOCATIONAL, 12),
    (EducationLevel.INTERMEDIATE, 12),
    (EducationLevel.COLLEGE, 12),
    (EducationLevel.UNIVERSITY, 16),
    (EducationLevel.POSTGRADUATE, 2),
]
VISIBILITY = [(Visibility.ANONYMOUS, 60), (Visibility.FULL, 25), (Visibility.PRIVATE, 15)]


@dataclass(frozen=True)
class Job:
    id: int
    code: str
    name_vi: str
    name_en: str

    @property
    def group(self) -> str:
        return self.code[:2]


@dataclass
class LoadResult:
    seekers: int = 0
    occupations: int = 0
    provinces: int = 0
    first_person_id: int = 0
    first_seeker_id: int = 0


class SeekerGenerator:
    """Draws seekers: `rows(n, first_person_id, first_seeker_id)` yields one tuple per table row."""

    def __init__(self, *, seed: int, jobs: Sequence[Job], provinces: dict[str, int]):
        if not jobs or not provinces:
            raise ValueError("load the reference data (occupations and provinces) first")
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
        order = list(jobs)
        self.rng.shuffle(order)
        # Zipf-like: the first occupations in the shuffled order are wanted far more than the last.
        self.jobs = order
        self.job_weights = _cumulative([1 / (i + 1) ** 0.9 for i in range(len(order))])
        self.by_group: dict[str, list[Job]] = {}
        for job in order:
            self.by_group.setdefault(job.group, []).append(job)
        codes = sorted(provinces)
        self.province_ids = [provinces[c] for c in codes]
        rest = max(1.0, 100 - sum(BIG_PROVINCES.get(c, 0) for c in codes))
        others = len([c for c in codes if c not in BIG_PROVINCES]) or 1
        self.province_weights = _cumulative([BIG_PROVINCES.get(c, rest / others) for c in codes])
        self.big_cities = [provinces[c] for c in BIG_CITIES if c in provinces]
        self.surnames, self.surname_weights = _split(names.SURNAMES)
        self.middle_m, self.middle_m_weights = _split(names.MIDDLE_MALE)
        self.middle_f, self.middle_f_weights = _split(names.MIDDLE_FEMALE)
        self.edu, self.edu_weights = _split(EDUCATION)
        self.vis, self.vis_weights = _split(VISIBILITY)
        self._search_of: dict[int, str] = {job.id: f"{job.name_vi} {job.name_en}" for job in order}

    def _name(self) -> tuple[str, str]:
        rng = self.rng
        sex = "M" if rng.random() < 0.52 else "F"
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        if sex == "M":
            middle = rng.choices(self.middle_m, cum_weights=self.middle_m_weights)[0]
            given = rng.choice(names.GIVEN_MALE)
        else:
            middle = rng.choices(self.middle_f, cum_weights=self.middle_f_weights)[0]
            given = rng.choice(names.GIVEN_FEMALE)
        return f"{surname} {middle} {given}", sex

    def _occupations(self) -> list[Job]:
        rng = self.rng
        first = rng.choices(self.jobs, cum_weights=self.job_weights)[0]
        chosen = [first]
        for _ in range(rng.choices([0, 1, 2], [55, 33, 12])[0]):
            near = self.by_group[first.group]
            pick = (
                rng.choice(near)
                if rng.random() < 0.7
                else rng.choices(self.jobs, cum_weights=self.job_weights)[0]
            )
            if pick not in chosen:
                chosen.append(pick)
        return chosen

    def _skills(self, jobs: list[Job]) -> str:
        rng = self.rng
        pool: list[str] = []
        for job in jobs:
            pool += TRADE_SKILLS.get(job.group, [])
        pool = list(dict.fromkeys(pool))
        picked = rng.sample(pool, min(len(pool), rng.randint(1, 4))) if pool else []
        if rng.random() < 0.5:
            picked.append(rng.choice(COMMON_SKILLS))
        return ", ".join(dict.fromkeys(picked))

    def rows(self, count: int, first_person_id: int, first_seeker_id: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for n in range(count):
            person_id, seeker_id = first_person_id + n, first_seeker_id + n
            full_name, sex = self._name()
            home = rng.choices(self.province_ids, cum_weights=self.province_weights)[0]
            wanted = [home]
            if rng.random() < 0.3 and self.big_cities:
                city = rng.choice(self.big_cities)
                if city != home:
                    wanted.append(city)
            jobs = self._occupations()
            skills = self._skills(jobs)
            headline = f"{rng.choice(HEADLINE_PREFIX)}: {jobs[0].name_vi}".lower().capitalize()[:200]
            salary = None if rng.random() < 0.1 else int(rng.lognormvariate(16.05, 0.35)) // 500_000 * 500_000
            phone = "+84" + rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
            yield {
                "person": (
                    person_id,
                    full_name,
                    normalise_search(full_name),
                    sex,
                    phone,
                    f"timviec{person_id}@example.vn",
                    home,
                ),
                "seeker": (
                    seeker_id,
                    person_id,
                    headline,
                    rng.choices(self.edu, cum_weights=self.edu_weights)[0],
                    skills,
                    skills_normalised(skills),
                    rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 10, 15]),
                    home,
                    salary,
                    rng.random() < 0.15,
                    rng.random() < 0.10,
                    rng.choices(self.vis, cum_weights=self.vis_weights)[0],
                    rng.random() < 0.85,
                    seeker_search_text(
                        headline=headline,
                        skills=skills,
                        experience="",
                        occupations=[self._search_of[job.id] for job in jobs],
                    ),
                ),
                "occupations": [(seeker_id, job.id, job.group) for job in jobs],
                "provinces": [(seeker_id, province) for province in wanted],
            }


PERSON_COLUMNS = ["id", "full_name", "name_search", "sex", "phone", "email", "province_id"]
SEEKER_COLUMNS = [
    "id",
    "person_id",
    "headline",
    "education",
    "skills",
    "skills_search",
    "experience_years",
    "province_id",
    "expected_salary",
    "wants_abroad",
    "wants_remote",
    "visibility",
    "is_looking",
    "search_text",
]
OCCUPATION_COLUMNS = ["seeker_id", "occupation_id", "sub_major_group"]
PROVINCE_COLUMNS = ["seeker_id", "province_id"]


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _split(pairs: Sequence[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    return [p[0] for p in pairs], _cumulative([float(p[1]) for p in pairs])


def _next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608 - a table name
        return int(cursor.fetchone()[0]) + 1


def jobs_and_provinces() -> tuple[list[Job], dict[str, int]]:
    jobs = [
        Job(*row)
        for row in Occupation.objects.filter(level=OCCUPATION_LEVEL)
        .order_by("code")
        .values_list("id", "code", "name_vi", "name_en")
    ]
    return jobs, dict(Province.objects.values_list("code", "pk"))


def load_seekers(
    count: int, *, seed: int = 2026, batch: int = BATCH, rebuild_indexes: bool = False
) -> LoadResult:
    """Write `count` seekers (people, profiles, wanted occupations and provinces) after the existing rows."""
    jobs, provinces = jobs_and_provinces()
    generator = SeekerGenerator(seed=seed, jobs=jobs, provinces=provinces)
    result = LoadResult(first_person_id=_next_id(Person), first_seeker_id=_next_id(SeekerProfile))
    rows = generator.rows(count, result.first_person_id, result.first_seeker_id)
    now = datetime.now(UTC)
    if connection.vendor == "postgresql":
        _copy_all(rows, result, now, batch, rebuild_indexes)
    else:
        _bulk_all(rows, result, now, batch)
    return result


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk_all(rows: Iterator[dict[str, Any]], result: LoadResult, now: datetime, batch: int) -> None:
    for chunk in _chunks(rows, batch):
        with transaction.atomic():
            Person.objects.bulk_create(
                [Person(**dict(zip(PERSON_COLUMNS, r["person"], strict=True))) for r in chunk],
                batch_size=2000,
            )
            SeekerProfile.objects.bulk_create(
                [
                    SeekerProfile(**dict(zip(SEEKER_COLUMNS, r["seeker"], strict=True)), created_at=now)
                    for r in chunk
                ],
                batch_size=2000,
            )
            occupations = [
                SeekerOccupation(**dict(zip(OCCUPATION_COLUMNS, o, strict=True)))
                for r in chunk
                for o in r["occupations"]
            ]
            wanted = [
                SeekerProvince(**dict(zip(PROVINCE_COLUMNS, p, strict=True)))
                for r in chunk
                for p in r["provinces"]
            ]
            SeekerOccupation.objects.bulk_create(occupations, batch_size=2000)
            SeekerProvince.objects.bulk_create(wanted, batch_size=2000)
        result.seekers += len(chunk)
        result.occupations += len(occupations)
        result.provinces += len(wanted)


# --- PostgreSQL: COPY --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


class _Copy:
    """One table's COPY: the given columns, then the other columns at their Django default."""

    def __init__(self, model: Any, columns: list[str], now: datetime):
        self.table = model._meta.db_table
        tail: list[tuple[str, Any]] = []
        for field in model._meta.concrete_fields:
            if field.attname in columns or field.primary_key:
                continue
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.null:
                value = None
            else:
                value = ""
            tail.append((field.column, value))
        self.columns = [model._meta.get_field(c).column for c in columns] + [c for c, _v in tail]
        self.tail = "".join("\t" + _text(v) for _c, v in tail)

    def write(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        with cursor.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN') as copy:
            copy.write("".join("\t".join(_text(v) for v in row) + self.tail + "\n" for row in rows))


def _copy_all(
    rows: Iterator[dict[str, Any]], result: LoadResult, now: datetime, batch: int, rebuild_indexes: bool
) -> None:
    copies = {
        "person": _Copy(Person, PERSON_COLUMNS, now),
        "seeker": _Copy(SeekerProfile, SEEKER_COLUMNS, now),
        "occupations": _Copy(SeekerOccupation, OCCUPATION_COLUMNS, now),
        "provinces": _Copy(SeekerProvince, PROVINCE_COLUMNS, now),
    }
    with connection.cursor() as cursor:
        dropped = _drop_indexes(cursor, [c.table for c in copies.values()]) if rebuild_indexes else []
        raw = cursor.cursor
        for chunk in _chunks(rows, batch):
            with transaction.atomic():
                copies["person"].write(raw, [r["person"] for r in chunk])
                copies["seeker"].write(raw, [r["seeker"] for r in chunk])
                occupations = [o for r in chunk for o in r["occupations"]]
                wanted = [p for r in chunk for p in r["provinces"]]
                copies["occupations"].write(raw, occupations)
                copies["provinces"].write(raw, wanted)
            result.seekers += len(chunk)
            result.occupations += len(occupations)
            result.provinces += len(wanted)
        for definition in dropped:
            cursor.execute(definition)
        for table in (Person, SeekerProfile):
            name = table._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))"  # noqa: S608
            )
        for copy in copies.values():
            cursor.execute(f'ANALYZE "{copy.table}"')


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drops the tables' indexes that back no constraint; returns their definitions."""
    definitions = []
    for table in tables:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            definitions.append(definition)
    return definitions
