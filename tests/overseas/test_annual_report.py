"""The enterprise's annual report (Circular 21/2021 Art 15): the figures counted from a built world, the
Excel file and the PDF, and the signed submission."""

import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook
from pypdf import PdfReader

from ansinh.accounts.models import Organisation, User
from ansinh.core import signing
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.overseas import annual_report
from ansinh.overseas.errors import ReportClosed
from ansinh.overseas.models import AnnualReport, Contract, DepositKind, DepositMovement, Worker
from ansinh.overseas.services import enterprises, reports, workers
from tests.factories import make_staff
from tests.overseas.world import OverseasWorld, build_world, registered_contract

pytestmark = pytest.mark.django_db
AFTER_PERIOD = date(2026, 12, 16)  # the 2026 period has ended (14 December), the report is due by the 19th


@dataclass
class ReportWorld:
    world: OverseasWorld
    reports_branch: Organisation
    reports_branch_staff: User
    korea: Contract
    japan: Contract


# personal ID, passport, name, born, sex, contract, who registers, the steps reported
PEOPLE = [
    ("040195001001", "C1000001", "Lê Thị Hoa", date(1995, 3, 14), "F", "korea", "admin",
     [("departed", date(2026, 1, 10)), ("working", date(2026, 1, 20))]),
    ("040090001002", "C1000002", "Trần Văn Nam", date(1990, 5, 2), "M", "korea", "admin",
     [("departed", date(2026, 2, 1)), ("returned_early", date(2026, 6, 1)),
      ("liquidated", date(2026, 7, 1))]),
    ("040092001003", "C1000003", "Phạm Văn Hải", date(1992, 7, 9), "M", "japan", "admin",
     [("departed", date(2025, 11, 20))]),
    ("040193001004", "C1000004", "Nguyễn Thị Lan", date(1993, 8, 1), "F", "japan", "admin",
     [("departed", date(2026, 3, 5)), ("returned", date(2026, 10, 1))]),
    ("040091001005", "C1000005", "Hồ Văn Dũng", date(1991, 1, 5), "M", "korea", "branch",
     [("departed", date(2026, 4, 1))]),
    ("040196001006", "C1000006", "Võ Thị Mai", date(1996, 6, 6), "F", "korea", "admin", []),
]  # fmt: skip


def build_report_world() -> ReportWorld:
    world = build_world()
    branch = enterprises.branch_create(
        actor=world.admin_a,
        name="Chi nhánh Vinh",
        province="40",
        functions=["reports", "read", "worker_registration", "worker_update"],
    )
    branch_staff = make_staff("branch_staff", branch)
    korea = registered_contract(world)
    japan = registered_contract(
        world,
        number="HD-2026-002",
        kind="internship",
        country="JP",
        service_fee=30_000_000,
        internship_days=1_080,
    )
    contracts = {"korea": korea, "japan": japan}
    actors = {"admin": world.admin_a, "branch": branch_staff}
    for personal_id, passport, name, born, sex, contract, who, steps in PEOPLE:
        worker = workers.worker_register(
            actor=actors[who],
            contract_id=contracts[contract].pk,
            personal_id=personal_id,
            passport_number=passport,
            full_name=name,
            date_of_birth=born,
            sex=sex,
        )
        for status, on in steps:
            workers.worker_step(actor=actors[who], worker_id=worker.pk, status=status, on=on)
    # Enterprise B's worker counts in no report of A.
    other = registered_contract_b(world)
    worker_b = workers.worker_register(
        actor=world.admin_b,
        contract_id=other.pk,
        personal_id="042090009009",
        passport_number="C9000009",
        full_name="Đặng Văn Bình",
        date_of_birth=date(1990, 9, 9),
        sex="M",
    )
    workers.worker_step(actor=world.admin_b, worker_id=worker_b.pk, status="departed", on=date(2026, 5, 1))
    enterprise = world.enterprise_a
    for kind, amount, on in (
        (DepositKind.DEPOSIT, 2_000_000_000, date(2025, 6, 1)),
        (DepositKind.USED, -300_000_000, date(2026, 3, 1)),
        (DepositKind.TOP_UP, 300_000_000, date(2026, 3, 20)),
        (DepositKind.TOP_UP, 500_000_000, date(2026, 12, 15)),  # the next period's
    ):
        DepositMovement.objects.create(enterprise=enterprise, kind=kind, amount=amount, on=on)
    return ReportWorld(world, branch, branch_staff, korea, japan)


def registered_contract_b(world: OverseasWorld) -> Contract:
    from ansinh.overseas.services import contracts, signatures
    from tests.overseas.world import contract_terms

    contract = contracts.contract_submit(actor=world.admin_b, **contract_terms(number="HD-B-001"))
    signatures.contract_sign(actor=world.admin_b, contract_id=contract.pk)
    return contracts.contract_decide(actor=world.dolab_officer, contract_id=contract.pk, approve=True)


@pytest.fixture
def rw(db) -> ReportWorld:
    return build_report_world()


def _lines(lines) -> dict[str, tuple[int, int]]:
    return {line.code: (line.total, line.women) for line in lines}


def test_the_enterprise_report_counts_its_workers_contracts_fees_and_deposit(rw):
    figures = annual_report.report_for(rw.world.admin_a, 2026, today=AFTER_PERIOD)
    assert (figures.period_start, figures.period_end, figures.due) == (
        date(2025, 12, 15),
        date(2026, 12, 14),
        date(2026, 12, 19),
    )
    assert figures.complete
    assert figures.counted_to == date(2026, 12, 14)
    assert figures.enterprise_name == "Công ty CP Nhân lực Quốc tế An Phát"
    assert figures.licence_number == "123/LĐTBXH-GP"
    # Sent in the period: Hoa, Nam, Lan, Dũng (Hải left before it; Mai has not left).
    assert (figures.deployed, figures.deployed_women) == (4, 2)
    assert _lines(figures.by_country) == {"KR": (3, 1), "JP": (1, 1)}
    assert _lines(figures.by_kind) == {"supply": (3, 1), "internship": (1, 1)}
    assert _lines(figures.by_sex) == {"M": (2, 0), "F": (2, 2)}
    assert _lines(figures.by_occupation) == {"7": (4, 2)}
    units = {line.name_vi: line.total for line in figures.by_unit}
    assert units == {"Công ty CP Nhân lực Quốc tế An Phát": 3, "Chi nhánh Vinh": 1}
    # Abroad on 14 December: Hoa, Hải (left before the period) and Dũng.
    assert (figures.abroad, figures.abroad_women) == (3, 1)
    assert _lines(figures.abroad_by_country) == {"KR": (2, 1), "JP": (1, 0)}
    steps = figures.steps
    assert (steps.registered, steps.departed) == (6, 4)
    assert (steps.returned_early, steps.returned_at_term, steps.liquidated, steps.deceased) == (1, 1, 1, 0)
    assert figures.contracts is not None
    assert (figures.contracts.submitted, figures.contracts.registered, figures.contracts.refused) == (2, 2, 0)
    assert figures.contracts.workers_planned == 40
    assert {c.kind: c.contracts for c in figures.contracts.by_kind} == {"supply": 1, "internship": 1}
    # Service fees by the contracts: three to Korea at 40 million, one to Japan at 30 million.
    assert figures.fees is not None
    assert figures.fees.service_fee == 150_000_000
    assert (figures.fees.broker_fee, figures.fees.worker_deposit) == (0, 0)
    assert figures.deposit is not None
    deposit = figures.deposit
    assert (deposit.opening, deposit.paid_in, deposit.used, deposit.released, deposit.closing) == (
        2_000_000_000,
        300_000_000,
        300_000_000,
        0,
        2_000_000_000,
    )


def test_the_counting_is_a_bounded_number_of_grouped_queries(rw, django_assert_max_num_queries):
    enterprise = rw.world.enterprise_a
    with django_assert_max_num_queries(20):
        annual_report.compute(enterprise, 2026, today=AFTER_PERIOD)


def test_a_branch_with_the_reports_function_gets_its_own_records_only(rw):
    figures = annual_report.report_for(rw.reports_branch_staff, 2026, today=AFTER_PERIOD)
    assert figures.branch_name == "Chi nhánh Vinh"
    assert (figures.deployed, figures.abroad) == (1, 1)
    assert _lines(figures.by_country) == {"KR": (1, 0)}
    assert figures.steps.registered == 1
    # Contracts, fees and the deposit are the enterprise's (Law 69/2020 Art 17).
    assert figures.contracts is None
    assert figures.fees is None
    assert figures.deposit is None


def test_a_branch_without_the_reports_function_and_outsiders_are_refused(rw):
    for actor in (rw.world.branch_staff, rw.world.dolab_officer, rw.world.citizen):
        with pytest.raises(PermissionDenied):
            annual_report.report_for(actor, 2026, today=AFTER_PERIOD)


def test_while_the_period_runs_the_figures_run_to_today(rw):
    figures = annual_report.report_for(rw.world.admin_a, 2026, today=date(2026, 11, 26))
    assert not figures.complete
    assert figures.counted_to == date(2026, 11, 26)
    assert "26/11/2026" in annual_report.period_text(figures)
    assert figures.deployed == 4


@pytest.mark.parametrize(
    ("year", "today"),
    [
        (2021, date(2026, 11, 26)),
        (2027, date(2026, 11, 26)),
        ("abc", date(2026, 11, 26)),
        (2028, date(2026, 12, 15)),
    ],
)
def test_a_year_outside_the_range_is_refused_naming_the_field(year, today):
    with pytest.raises(ValidationFailed) as caught:
        annual_report.check_year(year, today)
    assert list(caught.value.details["fields"]) == ["year"]


def test_the_years_offered_start_with_the_circular_and_end_with_the_period_that_has_started():
    assert annual_report.years(date(2026, 11, 26))[:2] == [2026, 2025]
    assert annual_report.years(date(2026, 12, 15))[0] == 2027
    assert annual_report.years(date(2026, 11, 26))[-1] == 2022
    assert annual_report.check_year("2027", date(2026, 12, 15)) == 2027


def test_the_figures_survive_the_snapshot(rw):
    figures = annual_report.report_for(rw.world.admin_a, 2026, today=AFTER_PERIOD)
    assert annual_report.AnnualFigures.from_json(figures.as_json()) == figures


def test_the_excel_file_has_the_figures_as_numbers_and_names_as_text(rw):
    Organisation.objects.filter(pk=rw.reports_branch.pk).update(name='=HYPERLINK("x")')
    figures = annual_report.report_for(rw.world.admin_a, 2026, today=AFTER_PERIOD)
    book = load_workbook(io.BytesIO(annual_report.workbook(figures)))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    values = [cell.value for cell in cells]
    assert "Công ty CP Nhân lực Quốc tế An Phát" in values
    assert "0101234567" in values
    assert 150_000_000 in values
    assert 2_000_000_000 in values
    # No cell is a formula, even a name that looks like one.
    assert all(cell.data_type != "f" for cell in cells)
    assert '=HYPERLINK("x")' in values
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    korea = next(
        r
        for r in rows
        if r[0] in ("Hàn Quốc", "Korea", "Republic of Korea") or (r[0] or "").startswith("Hàn")
    )
    assert korea[1:3] == [3, 1]


def test_the_pdf_is_the_report_form_with_the_enterprise_and_its_figures(rw):
    figures = annual_report.report_for(rw.world.admin_a, 2026, today=AFTER_PERIOD)
    content = annual_report.pdf(figures)
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Công ty CP Nhân lực Quốc tế An Phát" in text
    assert "0101234567" in text
    assert "150.000.000" in text


def test_the_enterprise_submits_the_report_signed_and_the_signature_verifies(rw):
    report = reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=AFTER_PERIOD)
    assert (report.year, report.version, report.history) == (2026, 1, [])
    assert report.signed_by
    assert report.signed_at
    assert report.submitted_by == rw.world.admin_a
    with default_storage.open(str(report.signed_file.name), "rb") as handle:
        signed = handle.read()
    import hashlib

    assert hashlib.sha256(signed).hexdigest() == report.signature_sha256
    verified = signing.verify_pdf(signed)
    assert verified.valid
    assert verified.trusted
    assert verified.intact
    assert "An Phát" in verified.signer
    assert report.figures["deployed"] == 4
    assert reports.days_late(report) == 0


def test_a_corrected_report_replaces_the_first_before_the_due_date_and_keeps_its_history(rw):
    first = reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=AFTER_PERIOD)
    first_file, first_hash = first.signed_file.name, first.signature_sha256
    Worker.objects.filter(passport_number="C1000006").update(departure_date=date(2026, 11, 1))
    second = reports.annual_report_submit(actor=rw.world.staff_a, year=2026, today=date(2026, 12, 19))
    assert second.pk == first.pk
    assert second.version == 2
    assert second.figures["deployed"] == 5
    assert [(h["version"], h["file"], h["sha256"]) for h in second.history] == [(1, first_file, first_hash)]
    assert default_storage.exists(str(first_file))
    assert AnnualReport.objects.count() == 1


def test_after_the_due_date_a_submitted_report_is_not_replaced(rw):
    reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=AFTER_PERIOD)
    before = AnnualReport.objects.get()
    with pytest.raises(ReportClosed):
        reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=date(2026, 12, 20))
    after = AnnualReport.objects.get()
    assert (after.version, after.signature_sha256) == (before.version, before.signature_sha256)


def test_a_first_report_after_the_due_date_is_accepted_and_shows_as_late(rw):
    report = reports.annual_report_submit(actor=rw.world.admin_a, year=2025, today=date(2026, 11, 26))
    assert report.figures["deployed"] == 1  # Hải, November 2025
    assert reports.days_late(report) > 300


def test_the_report_is_submitted_only_once_its_period_has_ended(rw):
    with pytest.raises(ValidationFailed) as caught:
        reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=date(2026, 12, 14))
    assert list(caught.value.details["fields"]) == ["year"]
    assert not AnnualReport.objects.exists()


def test_only_the_enterprise_itself_submits(rw):
    for actor in (rw.reports_branch_staff, rw.world.branch_staff, rw.world.dolab_officer):
        with pytest.raises(PermissionDenied):
            reports.annual_report_submit(actor=actor, year=2026, today=AFTER_PERIOD)
    assert not AnnualReport.objects.exists()


def test_submitted_reports_are_seen_in_scope(rw):
    report = reports.annual_report_submit(actor=rw.world.admin_a, year=2026, today=AFTER_PERIOD)
    world = rw.world
    for reader in (world.dolab_officer, world.provincial_officer, world.admin_a, world.staff_a):
        assert list(annual_report.submitted_in_scope(reader)) == [report]
    for reader in (world.other_provincial_officer, world.admin_b, world.branch_staff, world.citizen):
        assert not annual_report.submitted_in_scope(reader).exists()


def test_the_enterprises_that_owe_a_report_and_have_not_submitted_it(rw):
    world = rw.world
    missing = annual_report.missing_in_scope(world.dolab_officer, 2026)
    assert set(missing) == {world.enterprise_a, world.enterprise_b}
    reports.annual_report_submit(actor=world.admin_a, year=2026, today=AFTER_PERIOD)
    assert set(annual_report.missing_in_scope(world.dolab_officer, 2026)) == {world.enterprise_b}
    assert set(annual_report.missing_in_scope(world.provincial_officer, 2026)) == set()
    assert set(annual_report.missing_in_scope(world.other_provincial_officer, 2026)) == {world.enterprise_b}
    # 2025 was due before they came to the platform: the platform cannot know that report.
    assert not annual_report.missing_in_scope(world.dolab_officer, 2025).exists()
