"""The demo's licensed enterprises as the overseas-labour database knows them: their registered information,
a licence granted by the department, the deposit at their bank and a registered supply contract each, so
the enterprise and branch accounts find their own data. Written directly (the services need a signed-in
department officer and today's date; the demo's story is set before both)."""

from datetime import date, timedelta

from ansinh.core import workdays
from ansinh.geo.models import Country, Occupation
from ansinh.overseas.models import (
    Contract,
    ContractKind,
    ContractStatus,
    DepositKind,
    DepositMovement,
    Enterprise,
    EnterpriseStatus,
    ForeignParty,
    ForeignPartyKind,
    Licence,
    LicenceAction,
    LicenceEvent,
)
from ansinh.web.demo.organisations import DemoTree

# (country, foreign employer, its registration number, ISCO group, monthly salary VND, months, fee VND)
_CONTRACTS = [
    ("KR", "Hanil Industrial Co., Ltd.", "134-81-55555", "721", 42_000_000, 36, 42_000_000),
    ("JP", "Sakura Seimitsu K.K.", "0104-01-123456", "722", 30_000_000, 36, 60_000_000),
    ("TW", "Formosa Precision Co., Ltd.", "24567890", "821", 22_000_000, 36, 44_000_000),
    ("DE", "Pflegedienst Rhein GmbH", "HRB 45678", "532", 70_000_000, 24, 0),
]


def load_overseas(tree: DemoTree, *, today: date) -> int:
    """One licensed enterprise row per demo enterprise; returns how many."""
    for n, organisation in enumerate(tree.enterprises):
        assert organisation.province is not None  # every demo enterprise has its seat
        issued = date(2023, 3 + n, 15)
        enterprise = Enterprise.objects.create(
            organisation=organisation,
            tax_code=f"0101{n + 1:06d}",
            head_office=f"Số {12 + n} Đường Trần Phú",
            province=organisation.province,
            charter_capital=(6 + n) * 1_000_000_000,
            legal_representative=["Trần Văn Bình", "Lê Thị Thu", "Phạm Quốc Hùng"][n % 3],
            website=f"https://{organisation.code.lower().removeprefix('dn-')}.vn",
            status=EnterpriseStatus.LICENSED,
            org_path=organisation.path,
        )
        number = f"{101 + n:03d}/LĐTBXH-GP"
        licence = Licence.objects.create(enterprise=enterprise, number=number, issued_on=issued)
        LicenceEvent.objects.create(licence=licence, action=LicenceAction.GRANTED, on=issued)
        branches = sum(1 for b in tree.branches if b.parent_id == organisation.pk)
        DepositMovement.objects.create(
            enterprise=enterprise,
            kind=DepositKind.DEPOSIT,
            amount=2_000_000_000 + 500_000_000 * branches,
            bank="Ngân hàng TMCP Ngoại thương Việt Nam",
            on=issued - timedelta(days=30),
        )
        country, employer, registration, isco, salary, months, fee = _CONTRACTS[n % len(_CONTRACTS)]
        nation = Country.objects.get(iso2=country)
        signed = today - timedelta(days=60 + 20 * n)
        Contract.objects.create(
            enterprise=enterprise,
            kind=ContractKind.SUPPLY,
            number=f"HĐCU-{today.year}-{n + 1:03d}",
            foreign_party=ForeignParty.objects.get_or_create(
                kind=ForeignPartyKind.EMPLOYER,
                country=nation,
                registration_number=registration,
                defaults={"name": employer},
            )[0],
            country=nation,
            occupation=Occupation.objects.get(code=isco),
            workers_planned=30,
            monthly_salary=salary,
            contract_months=months,
            service_fee=fee,
            signed_on=signed,
            status=ContractStatus.REGISTERED,
            registrar=tree.overseas_department,
            reply_due=workdays.add_working_days(signed + timedelta(days=2), 5),
            org_path=enterprise.org_path,
            province=enterprise.province,
        )
    return len(tree.enterprises)
