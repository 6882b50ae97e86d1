"""The demo organisation tree of DESIGN.md ("People, organisations, scope"), created through
`organisation_create` so every node gets its path and its audit row like a real one.

Names follow the 2025 reorganisation: employment, overseas labour and unemployment insurance are under
the Bộ Nội vụ (Ministry of Home Affairs) and its provincial Sở Nội vụ. Enterprises, the employer and
their branches are invented; ministries, missions and agencies are real bodies.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from ansinh.accounts import permissions as perms
from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.services import organisation_create
from ansinh.core.text import normalise_search
from ansinh.geo.models import Province

# The provinces that get a Sở Nội vụ and an employment service centre, first the main one (the demo's
# provincial accounts work there). Nghệ An, Hà Tĩnh and Thanh Hóa send the most workers abroad.
DEPARTMENT_PROVINCES = ["Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Hà Nội", "Hồ Chí Minh", "Bắc Ninh"]

# Functions an enterprise may delegate to a branch. Law 69/2020 Art 17: a branch recruits, trains and
# reports, but may not sign or liquidate contracts or collect fees and deposits, so only codes for the
# former belong here. Codes not (yet) in the catalogue are left out: a branch never carries a code
# that nothing checks.
BRANCH_FUNCTIONS = ("person.read", "person.manage", "ovl.read", "ovl_worker.register", "ovl_worker.update")

_UNIT_PREFIXES = ("thành phố ", "tỉnh ", "tp ", "tp. ")


def province_base_name(province: Province) -> str:
    """ "Tỉnh Nghệ An" -> "Nghệ An" (the reference data may or may not carry the unit word)."""
    name = province.name.strip()
    for prefix in _UNIT_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def _is_city(province: Province) -> bool:
    unit = normalise_search(province.unit_type or "")
    return unit.startswith(("city", "thanh pho")) or normalise_search(province.name).startswith("thanh pho")


def province_label(province: Province) -> str:
    """The form used inside official names: "tỉnh Nghệ An", "thành phố Hà Nội"."""
    return f"{'thành phố' if _is_city(province) else 'tỉnh'} {province_base_name(province)}"


def choose_provinces(
    available: Sequence[Province], wanted: Sequence[str] = DEPARTMENT_PROVINCES
) -> list[Province]:
    """The wanted provinces that exist, in the wanted order; if the reference data names them
    differently, the first provinces by code make up the number so the demo still works."""
    chosen: list[Province] = []
    for target in wanted:
        needle = normalise_search(target)
        match = next((p for p in available if normalise_search(p.name).endswith(needle)), None)
        if match is not None and match not in chosen:
            chosen.append(match)
    for province in sorted(available, key=lambda p: p.code):
        if len(chosen) >= min(len(wanted), len(available)):
            break
        if province not in chosen:
            chosen.append(province)
    return chosen


@dataclass
class ProvincialUnits:
    province: Province
    department: Organisation
    centre: Organisation


@dataclass
class DemoTree:
    ministry: Organisation
    inspectorate: Organisation
    overseas_department: Organisation
    colab: Organisation
    employment_department: Organisation
    provincial: list[ProvincialUnits]
    enterprises: list[Organisation]
    branches: list[Organisation]
    employer: Organisation
    missions: dict[str, Organisation]
    social_insurance: Organisation
    provincial_social_insurance: Organisation
    all: list[Organisation] = field(default_factory=list)
    # The social-security bodies (`web/demo/welfare.py`), added once the demo citizen's ward is known:
    # the first commune serves that ward, the first clinic and service point are in the main province.
    communes: list[Organisation] = field(default_factory=list)
    clinics: list[Organisation] = field(default_factory=list)
    service_points: list[Organisation] = field(default_factory=list)

    @property
    def main(self) -> ProvincialUnits:
        return self.provincial[0]


# (code, name, English name, head-office province index into the chosen provinces, branch province indexes)
_ENTERPRISES = [
    (
        "DN-SAOMAI",
        "Công ty Cổ phần Nhân lực Quốc tế Sao Mai",
        "Sao Mai International Manpower JSC",
        3,
        [0, 1],
    ),
    (
        "DN-HOANGLONG",
        "Công ty TNHH Cung ứng Nhân lực Hoàng Long",
        "Hoang Long Manpower Supply Co., Ltd",
        3,
        [2],
    ),
    (
        "DN-PHUONGNAM",
        "Công ty Cổ phần Hợp tác Lao động Phương Nam",
        "Phuong Nam Labour Cooperation JSC",
        4,
        [0],
    ),
]

# (country, code, name, English name)
_MISSIONS = [
    ("KR", "DSQ-KR-QLLD", "Ban Quản lý lao động, Đại sứ quán Việt Nam tại Hàn Quốc",
     "Labour Management Board, Embassy of Viet Nam in the Republic of Korea"),
    ("JP", "DSQ-JP-QLLD", "Ban Quản lý lao động, Đại sứ quán Việt Nam tại Nhật Bản",
     "Labour Management Board, Embassy of Viet Nam in Japan"),
    ("TW", "VPKTVH-TW-QLLD", "Ban Quản lý lao động, Văn phòng Kinh tế và Văn hóa Việt Nam tại Đài Bắc",
     "Labour Management Board, Viet Nam Economic and Cultural Office in Taipei"),
    ("DE", "DSQ-DE-QLLD", "Bộ phận Quản lý lao động, Đại sứ quán Việt Nam tại Đức",
     "Labour Section, Embassy of Viet Nam in Germany"),
]  # fmt: skip


def build_tree(provinces: Sequence[Province]) -> DemoTree:
    """Creates the whole tree as the system (actor=None). `provinces` come from `choose_provinces`."""
    if not provinces:
        raise ValueError("the demo tree needs at least one province")
    created: list[Organisation] = []

    def org(
        code: str, name: str, name_en: str, kind: str, parent: Organisation | None = None, **extra: object
    ) -> Organisation:
        node = organisation_create(
            actor=None, code=code, name=name, kind=kind, parent=parent, name_en=name_en, **extra
        )
        created.append(node)
        return node

    def at(index: int) -> Province:
        return provinces[index % len(provinces)]

    ministry = org("BNV", "Bộ Nội vụ", "Ministry of Home Affairs", OrganisationKind.MINISTRY)
    inspectorate = org(
        "BNV-TTR",
        "Thanh tra Bộ Nội vụ",
        "Inspectorate of the Ministry of Home Affairs",
        OrganisationKind.DEPARTMENT,
        ministry,
    )
    overseas = org(
        "BNV-QLLDNN",
        "Cục Quản lý lao động ngoài nước",
        "Department of Overseas Labour",
        OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT,
        ministry,
    )
    colab = org(
        "BNV-COLAB",
        "Trung tâm Lao động ngoài nước",
        "Centre of Overseas Labour (COLAB)",
        OrganisationKind.OVERSEAS_LABOUR_CENTRE,
        ministry,
    )
    employment = org(
        "BNV-CVL", "Cục Việc làm", "Department of Employment", OrganisationKind.DEPARTMENT, ministry
    )

    provincial: list[ProvincialUnits] = []
    for province in provinces:
        label, base = province_label(province), province_base_name(province)
        department = org(
            f"SNV-{province.code}",
            f"Sở Nội vụ {label}",
            f"Department of Home Affairs, {base}",
            OrganisationKind.PROVINCIAL_DEPARTMENT,
            ministry,
            province=province,
        )
        centre = org(
            f"TTDVVL-{province.code}",
            f"Trung tâm Dịch vụ việc làm {label}",
            f"Employment Service Centre, {base}",
            OrganisationKind.EMPLOYMENT_CENTRE,
            department,
            province=province,
        )
        provincial.append(ProvincialUnits(province, department, centre))

    delegated = [code for code in BRANCH_FUNCTIONS if perms.is_known(code)]
    enterprises: list[Organisation] = []
    branches: list[Organisation] = []
    for code, name, name_en, seat, branch_at in _ENTERPRISES:
        enterprise = org(code, name, name_en, OrganisationKind.ENTERPRISE, province=at(seat))
        enterprises.append(enterprise)
        for n, index in enumerate(branch_at, start=1):
            place = at(index)
            base = province_base_name(place)
            branches.append(
                org(f"{code}-CN{n:02d}", f"Chi nhánh {base}, {name}", f"{name_en}, {base} branch",
                    OrganisationKind.BRANCH, enterprise, province=place, delegated_permissions=delegated)
            )  # fmt: skip

    employer = org(
        "DN-PHUTHINH",
        "Công ty TNHH May mặc Phú Thịnh",
        "Phu Thinh Garment Co., Ltd",
        OrganisationKind.EMPLOYER,
        province=at(5),
    )
    missions = {
        country: org(code, name, name_en, OrganisationKind.MISSION, country=country)
        for country, code, name, name_en in _MISSIONS
    }
    social = org(
        "BHXH-VN", "Bảo hiểm xã hội Việt Nam", "Viet Nam Social Security", OrganisationKind.SOCIAL_INSURANCE
    )
    main = provinces[0]
    provincial_social = org(f"BHXH-{main.code}", f"Bảo hiểm xã hội {province_label(main)}",
                            f"Social Security, {province_base_name(main)}", OrganisationKind.SOCIAL_INSURANCE,
                            social, province=main)  # fmt: skip
    return DemoTree(
        ministry=ministry,
        inspectorate=inspectorate,
        overseas_department=overseas,
        colab=colab,
        employment_department=employment,
        provincial=provincial,
        enterprises=enterprises,
        branches=branches,
        employer=employer,
        missions=missions,
        social_insurance=social,
        provincial_social_insurance=provincial_social,
        all=created,
    )
