"""Demo dossiers: the two demo procedures in every state, filed and moved through the real services.

Every dossier is opened, completed and moved by the services a real one goes through (`dossier_start` or
`dossier_receive_at_counter`, `attachment_add`, `dossier_act`, `dossier_assign`), so receipt codes, the
timeline, the audit log, the applicants' inbox and the issued PDFs (receipt slips, signed decisions and
refusals) are what real use leaves behind. Most are at the employment service centre of the main province
(Nghệ An), filed at the counter for people of the register; `demo.citizen` files online; a few are in the
second province, handled by two officers made for the purpose (they have no published password).

Time. A demo whose dossiers were all filed a minute ago has nothing overdue, so each dossier has a story in
the past (filed k working days ago, accepted the next day, ...). The steps of all stories run in the order
of their dates, one committed transaction each, and each step's dates are moved back to its moment inside
that transaction, before it commits: the receipt code is allocated for the day of filing, and the documents
the step calls for (issued after the commit) print the dates the timeline shows. The timeline rows, inbox
messages and documents of a step then get the step's moment too. The audit log keeps the real time of the
load: it is a hash chain and is never rewritten.

The services that read the clock (a benefit is decided on the day of the approval, a claim may be withdrawn
within 10 working days of filing) run with the clock set to the step's moment (`demo_clock`). Every claim's
applicant gets a contribution record that makes the claim what its story needs, and every transfer's
applicant a benefit being paid, decided a month and a half before the transfer, with its first month
notified (Decree 374 Art 20: a transfer comes after at least one month received).

Messages are written to the inbox but never sent: the addresses and phone numbers of the demo are invented,
and a configured SMS gateway would reach whoever owns those numbers. Their deliveries end as "not sent".
"""

import logging
import random
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from ansinh.accounts import services as account_services
from ansinh.accounts.models import Person, Role, User
from ansinh.core import workdays
from ansinh.core.text import strip_diacritics
from ansinh.dossiers import rules
from ansinh.dossiers.models import Attachment, Dossier, DossierEvent, IssuedDocument
from ansinh.dossiers.procedures import State
from ansinh.dossiers.rules import Action
from ansinh.dossiers.services import attachments, deadlines, filing, transitions
from ansinh.dossiers.services.receipts import allocate_receipt_code
from ansinh.notify.models import Delivery, DeliveryStatus, Message
from ansinh.unemployment.procedures import BENEFIT_CLAIM, BENEFIT_TRANSFER
from ansinh.web.demo import names
from ansinh.web.demo import unemployment as demo_unemployment
from ansinh.web.demo.clock import demo_clock
from ansinh.web.demo.organisations import DemoTree, ProvincialUnits

CREATE = "create"
ASSIGN = "assign"
# Documents are issued (and the applicant told) a minute after the step that calls for them.
FOLLOW_UP = timedelta(minutes=1)
NOT_SENT = "Demo data: not sent (the demo's addresses and phone numbers are invented)."

CENTRE_OFFICER = "demo.centre"
DECIDER = "demo.province"
CITIZEN = "demo.citizen"
# People of the register the plan below files for: at the main centre and at the second province's.
MAIN_APPLICANTS = 38
SECOND_DOSSIERS = 6
# How far back the stories go, in working days (the oldest starts 45 working days ago), and how many people
# of the register to draw applicants from (the first by id: the register's order is random already).
HISTORY = 60
POOL = 2000

# Invented employers of the main province (the demo's own employer is added at run time).
_EMPLOYERS = (
    "Công ty TNHH May mặc Sông Lam",
    "Công ty TNHH Điện tử Bắc Vinh",
    "Công ty Cổ phần Chế biến Gỗ Nam Đàn",
    "Công ty TNHH Thực phẩm Cửa Lò",
    "Công ty Cổ phần Vật liệu Xây dựng Hoàng Mai",
    "Công ty TNHH Giày da Diễn Châu",
    "Hợp tác xã Dịch vụ Thủy sản Quỳnh Lưu",
    "Công ty TNHH Cơ khí Hưng Nguyên",
)
_RETURN_NOTES = (
    "Bản chụp sổ bảo hiểm xã hội bị mờ, không đọc được các trang quá trình đóng. Đề nghị chụp lại rõ nét.",
    "Thiếu quyết định thôi việc có chữ ký và đóng dấu của người sử dụng lao động.",
    "Ngày chấm dứt hợp đồng lao động trên tờ khai không khớp với quyết định thôi việc. Đề nghị kiểm tra "
    "và bổ sung bản chụp hợp đồng lao động.",
    "Giấy tờ chứng minh chấm dứt hợp đồng là bản chụp một trang; đề nghị nộp đủ các trang.",
)
_TRANSFER_RETURN_NOTES = (
    "Đơn đề nghị (Mẫu 19) chưa có chữ ký của người lao động.",
    "Đơn đề nghị chưa ghi rõ địa chỉ nơi cư trú mới.",
)
_REFUSAL_REASONS = (
    "Chưa đóng đủ 12 tháng bảo hiểm thất nghiệp trong thời gian 24 tháng trước khi chấm dứt hợp đồng "
    "lao động.",
    "Người lao động đã giao kết hợp đồng lao động mới trong thời gian chờ giải quyết hồ sơ.",
    "Người lao động đang hưởng lương hưu hằng tháng nên không thuộc đối tượng hưởng trợ cấp thất nghiệp.",
    "Người lao động đơn phương chấm dứt hợp đồng lao động trái pháp luật nên không đủ điều kiện hưởng.",
)
_CANCEL_NOTES = (
    "Quá thời hạn bổ sung theo hướng dẫn, người lao động không bổ sung hồ sơ.",
    "Người lao động báo không tiếp tục đề nghị hưởng; hủy theo yêu cầu tại bộ phận một cửa.",
)
_TRANSFER_REASONS = (
    "Chuyển về quê chồng sinh sống cùng gia đình.",
    "Theo gia đình chuyển nơi cư trú.",
    "Vợ/chồng có việc làm mới ở tỉnh khác, cả gia đình chuyển theo.",
    "Về ở với bố mẹ già để tiện chăm sóc.",
)


# --- the stories -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a story, `days_ago` working days before the load (always at least 1: all in the past)."""

    action: str
    days_ago: int
    note: str = ""


@dataclass(frozen=True)
class Office:
    """Who handles a province's dossiers: the counter officer of the centre and the provincial decider."""

    units: ProvincialUnits
    officer: User
    decider: User


@dataclass
class Story:
    procedure: str
    office: Office
    person: Person
    online: User | None  # the applicant's own account (filed online), or None (filed at the counter)
    form: dict[str, Any]
    documents: tuple[str, ...]
    steps: list[Step]
    dossier_id: int | None = None


def chain(start: int, *moves: tuple[Any, ...]) -> list[Step]:
    """Steps from `start` working days ago: each move is (action, gap[, note]), `gap` working days after the
    step before (never later than yesterday; steps on one day follow each other by the hour)."""
    steps, day = [], start
    for action, gap, *note in moves:
        day = max(1, day - gap)
        steps.append(Step(str(action), day, note[0] if note else ""))
    return steps


@dataclass
class Planner:
    """Draws the stories of the demo from one seeded generator: same seed, same stories."""

    rng: random.Random
    days: list[date]  # days[k]: the k-th working day before the load
    provinces: list[str]
    employers: tuple[str, ...]
    stories: list[Story] = field(default_factory=list)

    # --- form data ---

    def _phone(self, person: Person) -> str:
        # Someone without a phone in the register gives one at the counter (the form asks for it).
        return person.phone or f"+84{self.rng.choice(names.MOBILE_PREFIXES)}{self.rng.randrange(10**7):07d}"

    def claim_form(self, person: Person, start: int, *, partial: bool = False) -> dict[str, Any]:
        filed = self.days[start]
        form: dict[str, Any] = {
            "termination_date": (filed - timedelta(days=self.rng.randrange(7, 75))).isoformat(),
            "last_employer": self.rng.choice(self.employers),
            "contract_kind": self.rng.choice(["indefinite", "definite", "definite", "seasonal"]),
            "phone": self._phone(person),
            "wants_training": self.rng.random() < 0.3,
        }
        if self.rng.random() < 0.7:
            form["bank_account"] = "".join(
                str(self.rng.randrange(10)) for _ in range(self.rng.choice([10, 13]))
            )
        if partial:
            for name in self.rng.sample(["last_employer", "contract_kind", "termination_date"], 2):
                form.pop(name)
        return form

    def transfer_form(self, person: Person, *, partial: bool = False) -> dict[str, Any]:
        form = {
            "decision_number": f"{self.rng.randrange(120, 2400)}/QĐ-SNV",
            "new_province": self.rng.choice(self.provinces),
            "reason": self.rng.choice(_TRANSFER_REASONS),
            "phone": self._phone(person),
        }
        if partial:
            form.pop("decision_number")
        return form

    # --- notes ---

    def returned(self, procedure: str = BENEFIT_CLAIM) -> str:
        return self.rng.choice(_TRANSFER_RETURN_NOTES if procedure == BENEFIT_TRANSFER else _RETURN_NOTES)

    def refused(self) -> str:
        return self.rng.choice(_REFUSAL_REASONS)

    def approved(self) -> str:
        months = self.rng.randrange(3, 8)
        amount = f"{self.rng.randrange(2_800, 7_200) * 1000:,}".replace(",", ".")  # 4.350.000
        return (
            f"Hưởng trợ cấp thất nghiệp {months} tháng, mức hưởng hằng tháng {amount} đồng; "
            "nhận trợ cấp tháng đầu trong 5 ngày làm việc kể từ ngày có quyết định."
        )

    def transfer_approved(self) -> str:
        return "Đồng ý chuyển nơi hưởng; hồ sơ được gửi đến trung tâm dịch vụ việc làm nơi chuyển đến."

    # --- stories ---

    def add(
        self,
        procedure: str,
        office: Office,
        person: Person,
        steps: list[Step],
        *,
        online: User | None = None,
        partial: bool = False,
    ) -> None:
        start = steps[0].days_ago
        if procedure == BENEFIT_CLAIM:
            form = self.claim_form(person, start, partial=partial)
            documents: tuple[str, ...] = ("termination_proof", "social_insurance_book")
            if not partial and self.rng.random() < 0.3:
                documents += ("other",)
        else:
            form = self.transfer_form(person, partial=partial)
            documents = ("request_form",)
        if partial:
            documents = documents[: self.rng.randrange(0, 2)]
        self.stories.append(Story(procedure, office, person, online, form, documents, steps))


def plan_stories(
    rng: random.Random,
    days: list[date],
    main: Office,
    citizen: User,
    main_people: list[Person],
    second: Office | None,
    second_people: list[Person],
    province_names: list[str],
    employers: tuple[str, ...],
) -> list[Story]:
    """The stories: every state of both procedures at the main centre, due soon and overdue ones among the
    open states, three of `demo.citizen`'s own, and a few at the second province's centre."""
    p = Planner(rng, days, province_names, employers)
    r = rng.randint
    people = iter(main_people)
    claim, transfer = BENEFIT_CLAIM, BENEFIT_TRANSFER

    def at_main(procedure: str, steps: list[Step], *, partial: bool = False) -> None:
        p.add(procedure, main, next(people), steps, partial=partial)

    # Claims at the main centre's counter. BENEFIT_CLAIM: 15 working days from the complete dossier, so
    # complete 13-15 working days ago is due soon, 16 or more is overdue.
    at_main(claim, chain(r(1, 4), (CREATE, 0)), partial=True)
    at_main(claim, chain(r(2, 6), (CREATE, 0)))
    at_main(claim, chain(r(1, 5), (CREATE, 0), (Action.SUBMIT, 0)))
    at_main(claim, chain(r(6, 10), (CREATE, 0), (Action.SUBMIT, 0)))
    at_main(claim, chain(r(13, 14), (CREATE, 0), (Action.SUBMIT, 0)))  # due soon
    at_main(claim, chain(r(16, 18), (CREATE, 0), (Action.SUBMIT, 0)))  # overdue
    at_main(
        claim,
        chain(
            r(10, 12),
            (CREATE, 0),
            (Action.SUBMIT, 0),
            (Action.RETURN, 1, p.returned()),
            (Action.RESUBMIT, r(2, 4)),
        ),
    )
    for _ in range(3):
        at_main(claim, chain(r(2, 12), (CREATE, 0), (Action.SUBMIT, 0), (Action.RETURN, 1, p.returned())))
    at_main(claim, chain(r(2, 6), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1)))
    at_main(claim, chain(r(3, 8), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1), (ASSIGN, 0)))
    at_main(claim, chain(r(13, 14), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1)))  # due soon
    at_main(claim, chain(r(16, 19), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 2)))  # overdue
    for start in (r(4, 10), r(4, 10)):
        at_main(claim, chain(start, (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1), (Action.START, 1)))
    at_main(  # due soon, assigned by the provincial supervisor before the officer starts
        claim,
        chain(r(13, 15), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1), (ASSIGN, 0), (Action.START, 1)),
    )
    for start in (r(16, 22), r(16, 22)):  # overdue
        at_main(claim, chain(start, (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1), (Action.START, 2)))
    decided = ((CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1), (Action.START, 1))
    for _ in range(3):
        at_main(claim, chain(r(12, 20), *decided, (Action.APPROVE, r(6, 10), p.approved())))
    for _ in range(3):
        at_main(claim, chain(r(10, 25), *decided, (Action.REFUSE, r(4, 8), p.refused())))
    for _ in range(3):
        at_main(
            claim,
            chain(r(22, 45), *decided, (Action.APPROVE, r(8, 12), p.approved()), (Action.DELIVER, r(1, 3))),
        )
    at_main(
        claim, chain(r(20, 40), *decided, (Action.REFUSE, r(5, 10), p.refused()), (Action.DELIVER, r(1, 3)))
    )
    at_main(claim, chain(r(5, 15), (CREATE, 0), (Action.SUBMIT, 0), (Action.WITHDRAW, r(1, 4))))
    for _ in range(2):
        at_main(
            claim,
            chain(
                r(20, 35),
                (CREATE, 0),
                (Action.SUBMIT, 0),
                (Action.RETURN, 1, p.returned()),
                (Action.CANCEL, r(10, 15), rng.choice(_CANCEL_NOTES)),
            ),
        )

    # Transfers (3 working days: complete 1-3 working days ago is due soon, 4 or more overdue).
    at_main(transfer, chain(r(1, 2), (CREATE, 0), (Action.SUBMIT, 0)))  # due soon
    at_main(transfer, chain(r(5, 7), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1)))  # overdue
    at_main(
        transfer, chain(r(2, 6), (CREATE, 0), (Action.SUBMIT, 0), (Action.RETURN, 0, p.returned(transfer)))
    )
    at_main(
        transfer,
        chain(
            r(3, 8),
            (CREATE, 0),
            (Action.SUBMIT, 0),
            (Action.ACCEPT, 1),
            (Action.APPROVE, 1, p.transfer_approved()),
        ),
    )
    at_main(
        transfer,
        chain(
            r(8, 20),
            (CREATE, 0),
            (Action.SUBMIT, 0),
            (Action.ACCEPT, 0),
            (Action.APPROVE, 1, p.transfer_approved()),
            (Action.DELIVER, 1),
        ),
    )
    at_main(transfer, chain(r(3, 8), (CREATE, 0), (Action.WITHDRAW, 2)))  # a draft given up

    # demo.citizen, online: an early claim withdrawn, the claim approved two days ago (its signed decision
    # can be tried on the verify page), and the transfer being prepared.
    own = citizen.person
    assert own is not None  # the demo issues demo.citizen with a person
    p.add(
        claim,
        main,
        own,
        chain(r(36, 44), (CREATE, 0), (Action.SUBMIT, 0), (Action.WITHDRAW, 1)),
        online=citizen,
    )
    p.add(
        claim,
        main,
        own,
        chain(
            13,
            (CREATE, 0),
            (Action.SUBMIT, 0),
            (Action.ACCEPT, 1),
            (Action.START, 1),
            (Action.APPROVE, 9, p.approved()),
        ),
        online=citizen,
    )
    p.add(transfer, main, own, chain(1, (CREATE, 0)), online=citizen, partial=True)

    if second is not None:
        others = iter(second_people)

        def at_second(steps: list[Step]) -> None:
            p.add(claim, second, next(others), steps)

        at_second(chain(r(1, 6), (CREATE, 0), (Action.SUBMIT, 0)))
        at_second(chain(r(3, 9), (CREATE, 0), (Action.SUBMIT, 0), (Action.RETURN, 1, p.returned())))
        at_second(chain(r(16, 20), (CREATE, 0), (Action.SUBMIT, 0), (Action.ACCEPT, 1)))  # overdue
        at_second(chain(r(5, 11), *decided))
        at_second(chain(r(12, 20), *decided, (Action.APPROVE, r(6, 10), p.approved())))
        at_second(
            chain(r(22, 40), *decided, (Action.APPROVE, r(8, 12), p.approved()), (Action.DELIVER, r(1, 3)))
        )
    return p.stories


# --- documents the applicants attach ---------------------------------------------------------------------

_DOCUMENT_FILES = {
    "termination_proof": ("quyet-dinh-thoi-viec.pdf", "Quyet dinh cham dut hop dong lao dong"),
    "social_insurance_book": ("so-bhxh.png", "So bao hiem xa hoi"),
    "other": ("giay-to-bo-sung.pdf", "Giay to bo sung"),
    "request_form": ("don-de-nghi-mau-19.pdf", "De nghi chuyen noi huong tro cap that nghiep (Mau 19)"),
}


def _pdf_text(value: str) -> str:
    ascii_only = strip_diacritics(value).encode("ascii", "replace").decode()
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF that any reader opens, showing `lines` (the base-14 font has no Vietnamese marks,
    so they are dropped)."""
    shown = " ".join(f"({_pdf_text(line)}) '" for line in lines)
    content = f"BT /F1 13 Tf 18 TL 72 780 Td {shown} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_png(rng: random.Random, width: int = 240, height: int = 160) -> bytes:
    """A grey "photo of a page": light paper with darker lines of text of random lengths."""
    rows = []
    lengths = [rng.randrange(width // 3, width - 24) for _ in range(height // 12)]
    for y in range(height):
        line = y // 12
        inked = 4 <= y % 12 <= 7 and 16 <= y < height - 16 and line < len(lengths)
        row = bytes(70 if inked and 16 <= x < lengths[line] else 235 - (x + y) % 9 for x in range(width))
        rows.append(b"\x00" + row)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _upload(code: str, person: Person, rng: random.Random) -> SimpleUploadedFile:
    name, title = _DOCUMENT_FILES[code]
    if name.endswith(".png"):
        return SimpleUploadedFile(name, demo_png(rng), content_type="image/png")
    content = demo_pdf(
        [title, "", f"Ho va ten: {person.full_name}", f"So dinh danh: {person.personal_id}", "",
         "DU LIEU MAU - demo data, not a real document"]
    )  # fmt: skip
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- running the stories ---------------------------------------------------------------------------------


class SilentSmsBackend:
    """Drops every SMS (see the module docstring: the demo's phone numbers are invented)."""

    def send(self, phone: str, text: str) -> None:
        return None


@contextmanager
def deliveries_muted() -> Iterator[None]:
    # Assigning settings at run time: the loader runs in its own management command, nothing else runs in
    # the process, and the previous values come back whatever happens.
    # Tasks run here too, even when a broker is configured: a worker elsewhere would send to the invented
    # addresses, and the documents must exist before the loader backdates them.
    from ansinh.config.celery import app

    saved = settings.EMAIL_BACKEND, settings.SMS_BACKEND
    saved_eager = app.conf.task_always_eager
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.SMS_BACKEND = f"{__name__}.{SilentSmsBackend.__name__}"
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        settings.EMAIL_BACKEND, settings.SMS_BACKEND = saved
        app.conf.task_always_eager = saved_eager


@contextmanager
def task_log_quiet() -> Iterator[None]:
    """Without a broker the tasks run in this process, and Celery logs every one at INFO: hundreds of lines
    that would bury the demo's own output."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


@dataclass(frozen=True)
class Marks:
    """The highest ids before a step: what the step (and what follows its commit) adds is above them."""

    event: int
    attachment: int
    document: int
    message: int

    @classmethod
    def now(cls) -> "Marks":
        def top(model: Any) -> int:
            return model.objects.aggregate(top=Max("pk"))["top"] or 0

        return cls(top(DossierEvent), top(Attachment), top(IssuedDocument), top(Message))


def working_days_back(today: date, count: int) -> list[date]:
    """`days[k]` is the k-th working day before `today` (days[0] is today)."""
    days, day = [today], today
    calendar = workdays.calendar_for(range(today.year - 1, today.year + 1))
    while len(days) <= count:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return days


def schedule(stories: list[Story], days: list[date], rng: random.Random) -> list[tuple[datetime, int, int]]:
    """(moment, story index, step index) for every step, in the order they happened. A story's first step
    on a day is in office hours; the next ones follow it by a quarter of an hour to two hours."""
    timeline = []
    for index, story in enumerate(stories):
        previous: datetime | None = None
        for number, step in enumerate(story.steps):
            day = days[step.days_ago]
            if previous is not None and timezone.localdate(previous) == day:
                gap = 5 if step.action == Action.SUBMIT and story.online is None else rng.randrange(15, 120)
                moment = previous + timedelta(minutes=gap, seconds=rng.randrange(60))
            else:
                opening = datetime.combine(day, time(7, 30)) + timedelta(minutes=rng.randrange(0, 6 * 60))
                moment = timezone.make_aware(opening) + timedelta(seconds=rng.randrange(60))
            timeline.append((moment, index, number))
            previous = moment
    timeline.sort()
    return timeline


@dataclass
class Runner:
    rng: random.Random

    def run(self, story: Story, step: Step, moment: datetime) -> None:
        if step.action == CREATE:
            self._prepare(story, moment)
        marks = Marks.now()
        started = timezone.now()
        with demo_clock(moment), transaction.atomic():
            if step.action == CREATE:
                self._create(story)
            elif step.action == ASSIGN:
                transitions.dossier_assign(
                    actor=story.office.decider,
                    dossier_ids=[self._id(story)],
                    officer_id=story.office.officer.pk,
                )
            else:
                self._act(story, Action(step.action), step.note, moment)
            self._backdate_step(story, step, moment, marks)
        # The step has committed and what follows it (documents, messages) has run: it happened then too.
        self._backdate_follow_up(story, moment, marks, started)

    def _id(self, story: Story) -> int:
        assert story.dossier_id is not None  # steps run in order, creation first
        return story.dossier_id

    def _applicant_side(self, story: Story) -> User:
        return story.online or story.office.officer

    def _prepare(self, story: Story, moment: datetime) -> None:
        """What the story's applicant must have before filing (in transactions of their own, so that the
        documents of a transfer's earlier claim are issued when its steps commit)."""
        if story.procedure == BENEFIT_CLAIM:
            refused = any(step.action == Action.REFUSE for step in story.steps)
            demo_unemployment.record_contributions(story.person, story.form, self.rng, eligible=not refused)
        elif any(step.action == Action.SUBMIT for step in story.steps):
            office = story.office
            demo_unemployment.paying_claim(
                story.person, office.units.centre, office.officer, office.decider, moment, self.rng
            )

    def _create(self, story: Story) -> None:
        if story.online is not None:
            dossier = filing.dossier_start(
                actor=story.online, procedure_code=story.procedure, form_data=story.form
            )
        else:
            dossier = filing.dossier_receive_at_counter(
                actor=story.office.officer,
                procedure_code=story.procedure,
                applicant_id_number=story.person.personal_id or story.person.passport_number,
                applicant_person_id=story.person.pk,
                form_data=story.form,
                organisation_id=story.office.units.centre.pk,
            )
        story.dossier_id = dossier.pk
        for code in story.documents:
            self._attach(story, code)

    def _attach(self, story: Story, code: str) -> None:
        attachments.attachment_add(
            actor=self._applicant_side(story),
            dossier_id=self._id(story),
            document_code=code,
            upload=_upload(code, story.person, self.rng),
        )

    def _act(self, story: Story, action: Action, note: str, moment: datetime) -> None:
        dossier_id = self._id(story)
        if action == Action.SUBMIT:
            # The code of the day of filing, from the real allocator: submitting keeps a code it finds.
            dossier = Dossier.objects.select_related("receiving_organisation").get(pk=dossier_id)
            if not dossier.receipt_code:
                code = allocate_receipt_code(dossier.receiving_organisation, timezone.localdate(moment))
                Dossier.objects.filter(pk=dossier_id).update(receipt_code=code)
        if action == Action.RESUBMIT:
            # The applicant brings what was missing.
            self._attach(story, "other" if story.procedure == BENEFIT_CLAIM else "request_form")
        if rules.TRANSITIONS[action].side == rules.Side.APPLICANT:
            actor = self._applicant_side(story)
        elif action in (Action.APPROVE, Action.REFUSE):
            actor = story.office.decider
        else:
            actor = story.office.officer
        transitions.dossier_act(actor=actor, dossier_id=dossier_id, action=action.value, note=note)

    def _backdate_step(self, story: Story, step: Step, moment: datetime, marks: Marks) -> None:
        """The dates the step set from the clock, as of `moment` (inside the step's transaction, so the
        documents issued after the commit print them)."""
        dossier_id = self._id(story)
        changes: dict[str, Any] = {"updated_at": moment}
        if step.action == CREATE:
            changes["created_at"] = moment
        elif step.action in (Action.SUBMIT, Action.RESUBMIT):
            procedure = filing.procedure_of(Dossier.objects.get(pk=dossier_id))
            received = rules.received_on(
                timezone.localdate(moment), workdays.is_working_day, workdays.next_working_day
            )
            due = rules.due_date(received, procedure.processing_days, workdays.add_working_days)
            changes |= {"complete_on": received, "due_date": due, "queue_due": due}
            if step.action == Action.SUBMIT:
                changes |= {"submitted_at": moment, "received_on": received}
        elif step.action in (Action.APPROVE, Action.REFUSE):
            changes["decided_at"] = moment
        elif step.action in (Action.DELIVER, Action.WITHDRAW, Action.CANCEL):
            changes["closed_at"] = moment
        Dossier.objects.filter(pk=dossier_id).update(**changes)
        added = DossierEvent.objects.filter(dossier_id=dossier_id, pk__gt=marks.event)
        added.update(at=moment)
        if "due_date" in changes:
            added.filter(action=step.action).update(due_date=changes["due_date"])
        Attachment.objects.filter(dossier_id=dossier_id, pk__gt=marks.attachment).update(uploaded_at=moment)

    def _backdate_follow_up(self, story: Story, moment: datetime, marks: Marks, started: datetime) -> None:
        later = moment + FOLLOW_UP
        dossier_id = self._id(story)
        # Not only the story's dossier: a step may issue a paper on another (a transfer approved issues
        # the introduction on the claim's dossier).
        DossierEvent.objects.filter(pk__gt=marks.event, action="document").update(at=later)
        IssuedDocument.objects.filter(pk__gt=marks.document).update(issued_at=later)
        # A resubmission's new receipt slip replaces the earlier one at that moment.
        IssuedDocument.objects.filter(dossier_id=dossier_id, revoked_at__gte=started).update(revoked_at=later)
        Message.objects.filter(pk__gt=marks.message).update(created_at=later)
        Delivery.objects.filter(message_id__gt=marks.message).update(created_at=later, updated_at=later)


def _second_office(units: ProvincialUnits) -> Office:
    """Officers for the second province's dossiers, issued like any account (the one-time password is not
    kept: nobody signs in as them)."""
    roles = {
        r.code: r for r in Role.objects.filter(code__in=["employment_centre_officer", "provincial_officer"])
    }
    code = units.province.code
    officer, _password = account_services.account_issue(
        actor=None,
        username=f"demo.centre.{code}",
        organisation=units.centre,
        role=roles["employment_centre_officer"],
    )
    decider, _password = account_services.account_issue(
        actor=None,
        username=f"demo.province.{code}",
        organisation=units.department,
        role=roles["provincial_officer"],
    )
    return Office(units, officer, decider)


def _applicants(units: ProvincialUnits, count: int, rng: random.Random, taken: set[int]) -> list[Person]:
    """`count` people of the register without an account, drawn by the seed: people of the province first,
    then (a small register has only a few dozen per province) people of other provinces, who may file where
    they want to receive the benefit. No two share a name, so the queue never shows the same name twice."""
    free = Person.objects.filter(user__isnull=True).exclude(pk__in=taken).order_by("pk")
    seen = set(
        Person.objects.filter(Q(pk__in=taken) | Q(user__isnull=False)).values_list("full_name", flat=True)
    )
    chosen: list[Person] = []
    for pool in (free.filter(province=units.province), free.exclude(province=units.province)):
        if len(chosen) == count:
            break
        candidates = list(pool[:POOL])
        rng.shuffle(candidates)
        for person in candidates:
            if len(chosen) == count:
                break
            if person.full_name not in seen:
                seen.add(person.full_name)
                chosen.append(person)
    if len(chosen) < count:
        raise ValueError(f"the demo register has fewer than {count} people to file dossiers for")
    taken.update(p.pk for p in chosen)
    return chosen


def state_counts() -> dict[str, int]:
    """Dossiers per state, in the order of the states."""
    found = dict(Dossier.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state.value: found.get(state.value, 0) for state in State}


def load_dossiers(tree: DemoTree, *, seed: int, today: date | None = None) -> dict[str, int]:
    """Files and moves the demo dossiers; returns the number of dossiers per state.

    Call it outside any transaction (as `builder.load` does): each step commits on its own so that the
    documents it calls for are issued. Inside a transaction it still loads, but the documents and messages
    that follow the steps wait for that transaction's commit (and are not backdated).
    """
    today = today or timezone.localdate()
    # Not `secrets`: the demo must be reproducible from its seed.
    rng = random.Random(f"demo-dossiers-{seed}")  # noqa: S311
    users = {u.username: u for u in User.objects.filter(username__in=[CENTRE_OFFICER, DECIDER, CITIZEN])}
    main = Office(tree.main, users[CENTRE_OFFICER], users[DECIDER])
    second_units = tree.provincial[1] if len(tree.provincial) > 1 else None
    employers = (*_EMPLOYERS, tree.employer.name)
    provinces = [u.province.code for u in tree.provincial[1:]]
    first_message = Message.objects.aggregate(top=Max("pk"))["top"] or 0
    with deliveries_muted(), task_log_quiet():
        second = _second_office(second_units) if second_units is not None else None
        taken: set[int] = set()
        second_people = _applicants(second_units, SECOND_DOSSIERS, rng, taken) if second_units else []
        main_people = _applicants(tree.main, MAIN_APPLICANTS, rng, taken)
        days = working_days_back(today, HISTORY)
        stories = plan_stories(
            rng, days, main, users[CITIZEN], main_people, second, second_people, provinces, employers
        )
        runner = Runner(random.Random(f"demo-dossier-files-{seed}"))  # noqa: S311
        for moment, index, number in schedule(stories, days, rng):
            runner.run(stories[index], stories[index].steps[number], moment)
        # The benefits decided in the stories: their passed job-search windows, mostly notified.
        demo_unemployment.notify_past_windows(today, rng)
        # This morning's deadline sweep: the officers' warnings of what is due soon and overdue.
        deadlines.deadline_sweep(today)
    Delivery.objects.filter(message_id__gt=first_message).update(
        status=DeliveryStatus.SKIPPED, last_error=NOT_SENT, sent_at=None
    )
    return state_counts()
