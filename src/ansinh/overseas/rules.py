"""The overseas-labour rules as code (domain/README.md section 5): pure functions, no database, no clock.

Sources: Law 69/2020/QH14 (Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng), Decree
112/2021/NĐ-CP, Circular 21/2021/TT-BLĐTBXH as amended by Circular 02/2024/TT-BLĐTBXH, Circular
20/2021/TT-BLĐTBXH (the database). Every check returns `Violation`s: a stable code, a message with the
figures (translated when it is read) and the legal basis in Vietnamese, as the decision letters cite it.

Money is integer VND. Caps expressed in months of salary are exact fractions (`Fraction`); a cap in đồng is
rounded *down* to the đồng, so rounding never lets an enterprise charge the worker more than the law allows
(and, for amounts the enterprise must put up, such as the internship deposit, rounding goes *up*). The
salary is the worker's monthly salary under the labour contract, already converted to VND by the caller
(the rate of the day the contract is registered: the caller's choice, recorded with the contract).

Decisions where the text (as summarised in domain/README.md) leaves room are marked [U] where they are
made; each is one constant or one function to change.

Deadlines: a day count starts the day after the event (Civil Code 2015 Art 147). Working-day deadlines take
the project's `add_working_days(start, n)` (`ansinh.core.workdays.add_working_days` or a
`WorkingCalendar`), so this module needs no holiday table.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AddWorkingDays = Callable[[date, int], date]
Text = str | Promise

# --- legal bases (Vietnamese, as cited in decisions) --------------------------------------------------------

LAW = "Luật 69/2020/QH14"
DECREE = "Nghị định 112/2021/NĐ-CP"
CIRCULAR_21 = "Thông tư 21/2021/TT-BLĐTBXH"
CIRCULAR_02 = "Thông tư 02/2024/TT-BLĐTBXH"
CIRCULAR_20 = "Thông tư 20/2021/TT-BLĐTBXH"

BASIS_SERVICE_FEE = f"{LAW} Điều 23.4; {CIRCULAR_02} Phụ lục XI"
BASIS_SERVICE_FEE_MARKET = f"{LAW} Điều 23.4; {CIRCULAR_21} Điều 8; {CIRCULAR_02} Phụ lục XI"
BASIS_BROKER_FEE = f"{LAW} Điều 22; {CIRCULAR_21} Điều 7; {CIRCULAR_02} Điều 1.5, Phụ lục X"
BASIS_WORKER_BROKER_FEE = f"{LAW} Điều 7.8"
BASIS_WORKER_DEPOSIT = f"{LAW} Điều 25; {DECREE} Điều 29, Phụ lục II"
BASIS_SUPPLY_CONTRACT = f"{LAW} Điều 19, 20"
BASIS_LICENCE = f"{LAW} Điều 10.1"
BASIS_LICENCE_STAFF = f"{LAW} Điều 10.1; {DECREE} Điều 4"
BASIS_LICENCE_FACILITY = f"{LAW} Điều 10.1; {DECREE} Điều 5"
BASIS_LICENCE_WEBSITE = f"{LAW} Điều 10.1; {DECREE} Điều 6"
BASIS_ENTERPRISE_DEPOSIT = f"{LAW} Điều 24; {DECREE} Điều 23"
BASIS_BRANCH = f"{LAW} Điều 17"
BASIS_BRANCH_REPORT = f"{LAW} Điều 17; {CIRCULAR_20} Điều 10"
BASIS_SOURCE_PREPARATION = f"{LAW} Điều 18.3"
BASIS_SUPPLY_CONTRACT_REPLY = f"{LAW} Điều 20; {CIRCULAR_21} Điều 13"
# [U] The table cites "Law Art 26; TT 21 Art 9, 12" for the enterprise's obligations as a group; the
# database update by worker code is Circular 20/2021 Art 11.
BASIS_DEPARTURE_UPDATE = f"{LAW} Điều 26; {CIRCULAR_20} Điều 11"
BASIS_OBLIGATIONS = f"{LAW} Điều 26"
BASIS_ANNUAL_REPORT = f"{CIRCULAR_21} Điều 15, Phụ lục XIII"
BASIS_INTERNSHIP = f"{LAW} Điều 39"
BASIS_INTERNSHIP_DEPOSIT = f"{DECREE} Điều 26"
BASIS_REVOCATION = f"{LAW} Điều 16.2; {DECREE} Điều 10"


class InvalidTerms(ValueError):
    """Input no rule can be applied to (a negative amount, an unknown code), naming the field: the API
    turns it into a 422. A term that breaks the law is a `Violation`, not this."""

    def __init__(self, field: str, message: Text):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- violations and how their figures read ------------------------------------------------------------------


def format_vnd(amount: int) -> str:
    """Money the Vietnamese way, in every language: 1.234.000 đồng."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("money is an integer number of đồng")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " đồng"


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _decimal(value: Fraction | Decimal, places: int = 2) -> Decimal:
    """At most `places` decimals (half up), no trailing zeros: 2.041666… -> 2.04, 140.0 -> 140."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def _shown(key: str, value: Any) -> Any:
    """A detail as the message shows it: keys ending in `_vnd` are money, dates read dd/mm/yyyy, fractions
    and decimals use the reader's decimal mark (1,4 in Vietnamese, 1.4 in English)."""
    if key.endswith("_vnd") and isinstance(value, int):
        return format_vnd(value)
    if isinstance(value, date):
        return _dmy(value)
    if isinstance(value, Fraction | Decimal):
        return number_format(_decimal(value))
    return str(value)


def _plain(value: Any) -> Any:
    """A detail for JSON: dates in ISO form, fractions and decimals as decimal text, lazy text as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction | Decimal):
        return str(_decimal(value, 4))
    if isinstance(value, Promise):
        return str(value)
    return value


@dataclass(frozen=True, eq=False)
class Violation:
    """One rule broken. `code` is stable ("overseas.service_fee_over_cap"); `message` is rendered in the
    active language each time it is read, with the figures of `details`; `legal_basis` cites the article."""

    code: str
    template: Text
    legal_basis: str
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(self.template) % {key: _shown(key, value) for key, value in self.details.items()}

    def as_dict(self) -> dict[str, Any]:
        """For `BreaksTheLaw(details={"violations": [...]})` and the API."""
        return {
            "code": self.code,
            "message": self.message,
            "legal_basis": self.legal_basis,
            "details": {key: _plain(value) for key, value in self.details.items()},
        }

    def __repr__(self) -> str:
        return f"Violation({self.code!r}, {dict(self.details)!r})"


# --- markets and programmes ---------------------------------------------------------------------------------


class Programme(StrEnum):
    """Programme / occupation categories that change a cap. A market code is the destination's ISO 3166-1
    alpha-2 code, alone ("DE": the general rules) or with one of these after a colon ("JP:tts3"). Each
    programme belongs to one country (`PROGRAMME_COUNTRY`)."""

    GENERAL = "general"  # no special category: the general caps
    JP_TECHNICAL_INTERN = "tts"  # Japan, technical intern training No. 1 and No. 2: general caps
    JP_TECHNICAL_INTERN_3 = "tts3"  # Japan, technical intern training No. 3: no service fee
    JP_SPECIFIED_SKILLED = "ssw"  # Japan, specified skilled worker: general caps
    JP_SPECIFIED_SKILLED_AFTER_TTS = "ssw_after_tts"  # SSW after completing technical intern training: no fee
    TW_CAREGIVER = "caregiver"  # Taiwan, caregivers (khán hộ công): 0.7 month per 12 months, at most 2
    TW_DOMESTIC = "domestic"  # Taiwan, domestic workers (giúp việc gia đình): 0.4 per 12, at most 1
    TW_FARM = "farm"  # Taiwan, farm workers: 0.4 per 12, at most 1


PROGRAMME_COUNTRY: Mapping[Programme, str] = {
    Programme.JP_TECHNICAL_INTERN: "JP",
    Programme.JP_TECHNICAL_INTERN_3: "JP",
    Programme.JP_SPECIFIED_SKILLED: "JP",
    Programme.JP_SPECIFIED_SKILLED_AFTER_TTS: "JP",
    Programme.TW_CAREGIVER: "TW",
    Programme.TW_DOMESTIC: "TW",
    Programme.TW_FARM: "TW",
}


def market_code(country: str, programme: str = Programme.GENERAL) -> str:
    """The market code of a destination and programme: ("JP", "tts3") -> "JP:tts3"; ("de", "general") ->
    "DE" (the general programme adds nothing)."""
    country, found = _market(country, programme)
    return country if found is Programme.GENERAL else f"{country}:{found.value}"


def split_market(market: str) -> tuple[str, Programme]:
    """The destination and programme of a market code: "JP:tts3" -> ("JP", Programme.JP_TECHNICAL_INTERN_3);
    "de" -> ("DE", Programme.GENERAL)."""
    country, _colon, programme = market.partition(":")
    return _market(country, programme or Programme.GENERAL)


def _market(country: str, programme: str) -> tuple[str, Programme]:
    country = country.strip().upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha() or country == "VN":
        raise InvalidTerms("country", _("The destination must be a foreign country's two-letter ISO code."))
    try:
        found = Programme(programme.strip().lower())
    except ValueError:
        raise InvalidTerms("programme", _("This programme or occupation category is not known.")) from None
    if found is not Programme.GENERAL and PROGRAMME_COUNTRY[found] != country:
        raise InvalidTerms("programme", _("This programme belongs to another destination."))
    return country, found


# ISO codes of the regions of Decree 112 Appendix II. [U] The appendix names regions, not countries: these
# are the usual geographical lists (Americas: North, Central, South America and the Caribbean, territories
# included; South-East Asia: the ASEAN members and Timor-Leste; Middle East: the Gulf, the Levant, Iran,
# Iraq, Türkiye, Yemen, Egypt and Cyprus). A marginal country put in a list can only lower a worker's
# deposit to nothing.
AMERICAS = frozenset(
    {
        "AG", "AI", "AR", "AW", "BB", "BL", "BM", "BO", "BQ", "BR", "BS", "BZ", "CA", "CL", "CO", "CR", "CU",
        "CW", "DM", "DO", "EC", "FK", "GD", "GF", "GL", "GP", "GT", "GY", "HN", "HT", "JM", "KN", "KY", "LC",
        "MF", "MQ", "MS", "MX", "NI", "PA", "PE", "PM", "PR", "PY", "SR", "SV", "SX", "TC", "TT", "US", "UY",
        "VC", "VE", "VG", "VI",
    }
)  # fmt: skip
SOUTH_EAST_ASIA = frozenset({"BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL"})  # not Viet Nam
MIDDLE_EAST = frozenset(
    {"AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"}
)

# --- fee caps -----------------------------------------------------------------------------------------------

MONTHS_PER_BLOCK = 12  # the caps are "per 12 months of work"
LONG_CONTRACT_MONTHS = 36

SERVICE_FEE_PER_YEAR = Fraction(1)  # months of salary per 12 months of contract (Law Art 23)
SEAFARER_SERVICE_FEE_PER_YEAR = Fraction(3, 2)
LONG_CONTRACT_SERVICE_FEE = Fraction(3)  # contracts of 36 months or more: at most 3 months in all
EXTENSION_SERVICE_FEE_PER_YEAR = Fraction(1, 2)
# Lower caps of Circular 21 Art 8 as amended by Circular 02/2024 (Appendix XI): (per 12 months, most in all).
MARKET_SERVICE_FEE: Mapping[Programme, tuple[Fraction, Fraction]] = {
    Programme.JP_TECHNICAL_INTERN_3: (Fraction(0), Fraction(0)),
    Programme.JP_SPECIFIED_SKILLED_AFTER_TTS: (Fraction(0), Fraction(0)),
    Programme.TW_CAREGIVER: (Fraction(7, 10), Fraction(2)),
    Programme.TW_DOMESTIC: (Fraction(4, 10), Fraction(1)),
    Programme.TW_FARM: (Fraction(4, 10), Fraction(1)),
}

BROKER_FEE_PER_YEAR = Fraction(1, 2)  # paid by the enterprise to the broker, per worker
LONG_CONTRACT_BROKER_FEE = Fraction(3, 2)
# [U] The table says "0 for Japan, Thailand, etc.": only the two markets it names are here; add the others
# of Circular 02/2024 Appendix X when the appendix is read.
NO_BROKER_FEE_COUNTRIES = frozenset({"JP", "TH"})

# Rules that set a cap (`FeeCap.rule`).
RULE_GENERAL = "general"
RULE_SEAFARER = "seafarer"
RULE_LONG_CONTRACT = "contract_36_months"
RULE_EXTENSION = "extension"
RULE_MARKET = "market"
RULE_BROKER = "broker"
RULE_BROKER_LONG_CONTRACT = "broker_36_months"
RULE_BROKER_NONE = "broker_none"


@dataclass(frozen=True)
class FeeCap:
    """The most that may be charged: `months` of the worker's monthly salary, `amount_vnd` in đồng (months
    times the salary, rounded down to the đồng), the `rule` that set it and its legal basis."""

    months: Fraction
    amount_vnd: int
    rule: str
    legal_basis: str


def _times_salary(months: Fraction, monthly_salary: int) -> int:
    """Rounded down: the worker never pays a fraction of a đồng above the cap."""
    return monthly_salary * months.numerator // months.denominator


def _check_contract(contract_months: int, monthly_salary: int) -> None:
    if isinstance(contract_months, bool) or not isinstance(contract_months, int) or contract_months < 1:
        raise InvalidTerms("contract_months", _("The contract must last at least one month."))
    if isinstance(monthly_salary, bool) or not isinstance(monthly_salary, int) or monthly_salary < 1:
        raise InvalidTerms("monthly_salary_vnd", _("The monthly salary must be a positive number of đồng."))


def _lowest(candidates: Sequence[tuple[Fraction, str, str]], monthly_salary: int) -> FeeCap:
    months, rule, basis = min(candidates, key=lambda candidate: candidate[0])  # the first of equal caps
    return FeeCap(months, _times_salary(months, monthly_salary), rule, basis)


def service_fee_cap(
    market: str, contract_months: int, monthly_salary: int, *, seafarer: bool = False, extension: bool = False
) -> FeeCap:
    """The most the enterprise may charge the worker as service fee (Law Art 23; Circular 21 Art 8 and
    Circular 02/2024 Appendix XI). `monthly_salary` is in VND; `contract_months` is the contract's term
    (for an extension, the extension's term).

    Every cap that applies is computed and the lowest wins: the general 1 month per 12 months (seafarers
    1.5), at most 3 months for a contract of 36 months or more, 0.5 per 12 months for an extension, and the
    lower caps of some markets (Japan TTS No. 3 and SSW after TTS: nothing; Taiwan caregivers 0.7 per 12, at
    most 2; Taiwan domestic and farm workers 0.4 per 12, at most 1).

    [U] "Per 12 months" is read pro rata by the month (an 18-month contract: 1.5 months), also for terms
    under 12 months; the 36-month limit is read as applying to seafarers too (the table states it without
    exception, even though a seafarer's 30-month contract then allows more than a 36-month one).
    """
    _country, programme = split_market(market)
    _check_contract(contract_months, monthly_salary)
    years = Fraction(contract_months, MONTHS_PER_BLOCK)
    candidates: list[tuple[Fraction, str, str]] = []
    if programme in MARKET_SERVICE_FEE:
        per_year, most = MARKET_SERVICE_FEE[programme]
        candidates.append((min(per_year * years, most), RULE_MARKET, BASIS_SERVICE_FEE_MARKET))
    if extension:
        candidates.append((EXTENSION_SERVICE_FEE_PER_YEAR * years, RULE_EXTENSION, BASIS_SERVICE_FEE))
    if contract_months >= LONG_CONTRACT_MONTHS:
        candidates.append((LONG_CONTRACT_SERVICE_FEE, RULE_LONG_CONTRACT, BASIS_SERVICE_FEE))
    if seafarer:
        candidates.append((SEAFARER_SERVICE_FEE_PER_YEAR * years, RULE_SEAFARER, BASIS_SERVICE_FEE))
    else:
        candidates.append((SERVICE_FEE_PER_YEAR * years, RULE_GENERAL, BASIS_SERVICE_FEE))
    return _lowest(candidates, monthly_salary)


def broker_fee_cap(market: str, contract_months: int, monthly_salary: int) -> FeeCap:
    """The most the enterprise may pay a broker (intermediary) for one worker (Law Art 22; Circular 21 Art
    7 as amended by Circular 02/2024 Art 1.5 and Appendix X): 0.5 month of the worker's salary per 12
    months, at most 1.5 months for a contract of 36 months or more; nothing for the markets of
    `NO_BROKER_FEE_COUNTRIES`. The worker never pays any of it (`WORKER_BROKER_FEE_CAP`).

    [U] Pro rata by the month, as the service fee.
    """
    country, _programme = split_market(market)
    _check_contract(contract_months, monthly_salary)
    if country in NO_BROKER_FEE_COUNTRIES:
        return FeeCap(Fraction(0), 0, RULE_BROKER_NONE, BASIS_BROKER_FEE)
    candidates = [
        (BROKER_FEE_PER_YEAR * Fraction(contract_months, MONTHS_PER_BLOCK), RULE_BROKER, BASIS_BROKER_FEE)
    ]
    if contract_months >= LONG_CONTRACT_MONTHS:
        candidates.insert(0, (LONG_CONTRACT_BROKER_FEE, RULE_BROKER_LONG_CONTRACT, BASIS_BROKER_FEE))
    return _lowest(candidates, monthly_salary)


WORKER_BROKER_FEE_CAP = 0  # Law Art 7.8: collecting a broker fee from the worker is forbidden


# --- worker deposits ----------------------------------------------------------------------------------------

TAIWAN_DEPOSIT_CAP = 12_000_000
KOREA_DEPOSIT_CAP = 36_000_000

DEPOSIT_RULE_TAIWAN = "taiwan"
DEPOSIT_RULE_KOREA = "korea"
DEPOSIT_RULE_NONE = "none_allowed"
DEPOSIT_RULE_AIRFARE = "airfare"


@dataclass(frozen=True)
class DepositCap:
    """The most a worker may be asked to deposit. `amount_vnd` is None when the cap is one economy airfare
    and no airfare was given."""

    amount_vnd: int | None
    rule: str
    legal_basis: str = BASIS_WORKER_DEPOSIT


def worker_deposit_cap(country: str, *, seafarer: bool = False, airfare_vnd: int | None = None) -> DepositCap:
    """Decree 112 Art 29 and Appendix II: Taiwan 12,000,000 đồng; Korea 36,000,000 (seafarers: none);
    Japan, the Americas, South-East Asia and the Middle East: none; elsewhere one economy airfare to the
    destination (`airfare_vnd`, from the caller).

    [U] "None" in the appendix is read as "no deposit may be required" (cap 0), not "no cap": the appendix is
    a table of ceilings, and the markets it lists as "none" (Japan above all, whose intern programme forbids
    deposits) are the ones the law protects most; reading "none" as "unlimited" would make them the laxest.
    """
    country, _programme = split_market(country)
    if country == "TW":
        return DepositCap(TAIWAN_DEPOSIT_CAP, DEPOSIT_RULE_TAIWAN)
    if country == "KR":
        return (
            DepositCap(0, DEPOSIT_RULE_NONE)
            if seafarer
            else DepositCap(KOREA_DEPOSIT_CAP, DEPOSIT_RULE_KOREA)
        )
    if country == "JP" or country in AMERICAS or country in SOUTH_EAST_ASIA or country in MIDDLE_EAST:
        return DepositCap(0, DEPOSIT_RULE_NONE)
    if airfare_vnd is not None:
        _check_money("airfare_vnd", airfare_vnd)
    return DepositCap(airfare_vnd, DEPOSIT_RULE_AIRFARE)


# --- the supply contract ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplyContractTerms:
    """The terms of a supply contract (hợp đồng cung ứng lao động) to be registered, per worker. Amounts are
    integer VND: the salary already converted. `broker_fee_vnd` is what the enterprise pays the broker,
    `worker_broker_fee_vnd` what the worker would pay towards it (must be 0)."""

    country: str
    contract_months: int
    monthly_salary_vnd: int
    programme: str = Programme.GENERAL
    service_fee_vnd: int = 0
    broker_fee_vnd: int = 0
    worker_broker_fee_vnd: int = 0
    deposit_vnd: int = 0
    airfare_vnd: int | None = None
    workers: int = 1
    seafarer: bool = False
    extension: bool = False

    @property
    def market(self) -> str:
        return market_code(self.country, self.programme)


def _check_money(name: str, amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidTerms(name, _("Amounts are whole, non-negative numbers of đồng."))


def check_supply_contract(contract: SupplyContractTerms) -> list[Violation]:
    """Every rule the terms break, in a fixed order: workers, service fee, worker's broker fee, broker fee,
    deposit. Bad input (negative money, unknown codes) raises `InvalidTerms`."""
    market = contract.market
    for name in ("service_fee_vnd", "broker_fee_vnd", "worker_broker_fee_vnd", "deposit_vnd"):
        _check_money(name, getattr(contract, name))
    found: list[Violation] = []
    if contract.workers < 1:
        found.append(
            Violation(
                "overseas.no_workers",
                _("A supply contract must be for at least one worker; %(workers)s given."),
                BASIS_SUPPLY_CONTRACT,
                {"workers": contract.workers},
            )
        )
    fee_cap = service_fee_cap(
        market,
        contract.contract_months,
        contract.monthly_salary_vnd,
        seafarer=contract.seafarer,
        extension=contract.extension,
    )
    if contract.service_fee_vnd > fee_cap.amount_vnd:
        details = {
            "given_vnd": contract.service_fee_vnd,
            "cap_vnd": fee_cap.amount_vnd,
            "cap_months": fee_cap.months,
            "rule": fee_cap.rule,
        }
        template = (
            _(
                "No service fee may be charged to workers of this programme; the contract charges "
                "%(given_vnd)s."
            )
            if fee_cap.months == 0
            else _(
                "The service fee of %(given_vnd)s is more than the cap of %(cap_vnd)s (the monthly salary × "
                "%(cap_months)s)."
            )
        )
        found.append(Violation("overseas.service_fee_over_cap", template, fee_cap.legal_basis, details))
    if contract.worker_broker_fee_vnd > WORKER_BROKER_FEE_CAP:
        found.append(
            Violation(
                "overseas.worker_pays_broker_fee",
                _("The worker may not pay any broker fee; the contract makes the worker pay %(given_vnd)s."),
                BASIS_WORKER_BROKER_FEE,
                {"given_vnd": contract.worker_broker_fee_vnd},
            )
        )
    broker_cap = broker_fee_cap(market, contract.contract_months, contract.monthly_salary_vnd)
    if contract.broker_fee_vnd > broker_cap.amount_vnd:
        details = {
            "given_vnd": contract.broker_fee_vnd,
            "cap_vnd": broker_cap.amount_vnd,
            "cap_months": broker_cap.months,
            "rule": broker_cap.rule,
        }
        template = (
            _("No broker fee may be paid for workers sent to this market; the contract pays %(given_vnd)s.")
            if broker_cap.months == 0
            else _(
                "The broker fee of %(given_vnd)s per worker is more than the cap of %(cap_vnd)s (the monthly "
                "salary × %(cap_months)s)."
            )
        )
        found.append(Violation("overseas.broker_fee_over_cap", template, broker_cap.legal_basis, details))
    if contract.deposit_vnd > 0:
        deposit = worker_deposit_cap(market, seafarer=contract.seafarer, airfare_vnd=contract.airfare_vnd)
        if deposit.amount_vnd is None:
            found.append(
                Violation(
                    "overseas.deposit_airfare_missing",
                    _(
                        "The deposit of %(given_vnd)s cannot be checked: for this market its cap is one "
                        "economy airfare, and no airfare is given."
                    ),
                    deposit.legal_basis,
                    {"given_vnd": contract.deposit_vnd, "rule": deposit.rule},
                )
            )
        elif contract.deposit_vnd > deposit.amount_vnd:
            template = (
                _(
                    "No deposit may be required from workers sent to this market; the contract requires "
                    "%(given_vnd)s."
                )
                if deposit.amount_vnd == 0
                else _("The worker's deposit of %(given_vnd)s is more than the cap of %(cap_vnd)s.")
            )
            details = {"given_vnd": contract.deposit_vnd, "cap_vnd": deposit.amount_vnd, "rule": deposit.rule}
            found.append(Violation("overseas.deposit_over_cap", template, deposit.legal_basis, details))
    return found


# --- the enterprise's deposit -------------------------------------------------------------------------------

ENTERPRISE_DEPOSIT = 2_000_000_000
BRANCH_DEPOSIT = 500_000_000  # for each branch assigned to send workers abroad
DEPOSIT_RESTORE_DAYS = 30  # after the deposit is used (Law Art 24)


def required_enterprise_deposit(branches: int) -> int:
    """Decree 112 Art 23: 2,000,000,000 đồng plus 500,000,000 for each branch assigned to send workers."""
    if isinstance(branches, bool) or not isinstance(branches, int) or branches < 0:
        raise InvalidTerms("branches", _("The number of branches cannot be negative."))
    return ENTERPRISE_DEPOSIT + BRANCH_DEPOSIT * branches


# --- licence conditions -------------------------------------------------------------------------------------

MIN_CHARTER_CAPITAL = 5_000_000_000
REPRESENTATIVE_EXPERIENCE_MONTHS = 60  # 5 years, in sending workers abroad or employment services
EDUCATION_LEVELS = ("none", "secondary", "vocational", "college", "university", "postgraduate")
STAFF_EDUCATION = "college"  # Decree 112 Art 4: college (cao đẳng) or higher
REPRESENTATIVE_EDUCATION = "university"  # Law Art 10.1: university (đại học) or higher
_REPRESENTATIVE_EDUCATION = EDUCATION_LEVELS.index(REPRESENTATIVE_EDUCATION)
_STAFF_EDUCATION = EDUCATION_LEVELS.index(STAFF_EDUCATION)
STAFF_OTHER_FIELD_EXPERIENCE_MONTHS = 24
MIN_TRAINEES = 100
CLASSROOM_M2_PER_TRAINEE = Fraction(14, 10)
DORMITORY_M2_PER_PERSON = Fraction(35, 10)
MAX_PER_DORMITORY_ROOM = 12
LEASE_YEARS_LEFT = 2

# The activities that each need at least one qualified staff member (Law Art 9; Decree 112 Art 4).
# [U] The list is read from the table's "≥1 qualified staff per activity of Art 9": these four are the
# activities of Art 9 an enterprise staffs; change the list here if the decree's own list differs.
STAFF_ACTIVITIES: Mapping[str, Text] = {
    "market_development": _("developing markets and negotiating supply contracts"),
    "recruitment": _("recruiting and selecting workers"),
    "orientation": _("orientation education and training"),
    "worker_management": _("managing and supporting workers abroad"),
}


@dataclass(frozen=True)
class LegalRepresentative:
    nationality: str  # ISO 3166-1 alpha-2
    education: str  # one of EDUCATION_LEVELS
    experience_months: int  # in sending workers abroad or in employment services
    clean_record: bool  # no criminal record, not barred from managing an enterprise


@dataclass(frozen=True)
class StaffMember:
    activity: str  # one of STAFF_ACTIVITIES
    education: str  # one of EDUCATION_LEVELS
    relevant_field: bool  # law, humanities, social sciences or business
    experience_months: int  # in sending workers abroad (counts for a degree in another field)
    insured_labour_contract: bool  # a labour contract with the enterprise and social insurance


@dataclass(frozen=True)
class Facility:
    """The orientation-education facility, owned or leased. Areas in m² (int or Decimal: never float)."""

    trainee_capacity: int  # trainees taught at the same time
    classroom_m2: int | Decimal
    dormitory_capacity: int  # persons housed
    dormitory_m2: int | Decimal
    largest_room_occupants: int  # persons in the most crowded dormitory room
    separated_by_sex: bool
    owned: bool
    lease_ends_on: date | None = None


@dataclass(frozen=True)
class LicenceApplication:
    applied_on: date
    charter_capital_vnd: int
    all_owners_domestic: bool  # every owner, member, shareholder a domestic investor
    deposit_vnd: int
    assigned_branches: int  # branches to be assigned to send workers abroad
    legal_representative: LegalRepresentative
    staff: Sequence[StaffMember]
    facility: Facility
    website: str


def _education_rank(level: str, field_name: str) -> int:
    try:
        return EDUCATION_LEVELS.index(level)
    except ValueError:
        raise InvalidTerms(field_name, _("This level of education is not known.")) from None


def is_qualified_staff(member: StaffMember) -> bool:
    """Decree 112 Art 4: college or higher in law, humanities, social sciences or business, or college or
    higher in another field with 2 years of experience; on a labour contract with social insurance.
    [U] The 2 years are counted in sending workers abroad (the work the staff member does)."""
    if member.activity not in STAFF_ACTIVITIES:
        raise InvalidTerms("staff.activity", _("This staff activity is not known."))
    educated = _education_rank(member.education, "staff.education") >= _STAFF_EDUCATION
    experienced = member.relevant_field or member.experience_months >= STAFF_OTHER_FIELD_EXPERIENCE_MONTHS
    return member.insured_labour_contract and educated and experienced


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def website_host(website: str) -> str:
    """The host of a website address, lower case, without port or final dot: "https://www.abc.com.vn/x" ->
    "www.abc.com.vn"."""
    text = website.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def check_licence_conditions(application: LicenceApplication) -> list[Violation]:
    """Every licence condition the application fails (Law Art 10.1; Decree 112 Art 4-6, 23), in the order of
    the law: capital and owners, deposit, legal representative, staff, facility, website."""
    found: list[Violation] = []

    def add(code: str, template: Text, basis: str, **details: Any) -> None:
        found.append(Violation(code, template, basis, details))

    _check_money("charter_capital_vnd", application.charter_capital_vnd)
    _check_money("deposit_vnd", application.deposit_vnd)
    if application.charter_capital_vnd < MIN_CHARTER_CAPITAL:
        add(
            "overseas.licence_capital_low",
            _("The charter capital of %(given_vnd)s is less than the required %(required_vnd)s."),
            BASIS_LICENCE,
            given_vnd=application.charter_capital_vnd,
            required_vnd=MIN_CHARTER_CAPITAL,
        )
    if not application.all_owners_domestic:
        add(
            "overseas.licence_foreign_owner",
            _("Every owner, member or shareholder of the enterprise must be a domestic investor."),
            BASIS_LICENCE,
        )
    required = required_enterprise_deposit(application.assigned_branches)
    if application.deposit_vnd < required:
        add(
            "overseas.licence_deposit_low",
            _(
                "The deposit of %(given_vnd)s is less than the required %(required_vnd)s (branches assigned "
                "to send workers: %(branches)s)."
            ),
            BASIS_ENTERPRISE_DEPOSIT,
            given_vnd=application.deposit_vnd,
            required_vnd=required,
            branches=application.assigned_branches,
        )

    person = application.legal_representative
    if person.nationality.strip().upper() != "VN":
        add(
            "overseas.licence_representative_nationality",
            _("The legal representative must be a Vietnamese citizen."),
            BASIS_LICENCE,
        )
    if _education_rank(person.education, "legal_representative.education") < _REPRESENTATIVE_EDUCATION:
        add(
            "overseas.licence_representative_education",
            _("The legal representative must hold a university degree or higher."),
            BASIS_LICENCE,
        )
    if person.experience_months < REPRESENTATIVE_EXPERIENCE_MONTHS:
        add(
            "overseas.licence_representative_experience",
            _(
                "The legal representative needs at least 5 years (%(required)s months) of experience in "
                "sending workers abroad or in employment services; %(given)s months given."
            ),
            BASIS_LICENCE,
            given=person.experience_months,
            required=REPRESENTATIVE_EXPERIENCE_MONTHS,
        )
    if not person.clean_record:
        add(
            "overseas.licence_representative_record",
            _(
                "The legal representative must have a clean record: no criminal record and not barred from "
                "managing an enterprise."
            ),
            BASIS_LICENCE,
        )

    staffed = {member.activity for member in application.staff if is_qualified_staff(member)}
    for activity, label in STAFF_ACTIVITIES.items():
        if activity not in staffed:
            add(
                "overseas.licence_staff_missing",
                _("At least one qualified staff member is needed for %(label)s."),
                BASIS_LICENCE_STAFF,
                activity=activity,
                label=label,
            )

    found.extend(_facility_violations(application.facility, application.applied_on))

    host = website_host(application.website)
    if not host.endswith(".vn") or host == ".vn":
        add(
            "overseas.licence_website_domain",
            _("The enterprise needs a website on a .vn domain; “%(given)s” is not one."),
            BASIS_LICENCE_WEBSITE,
            given=application.website.strip(),
        )
    return found


def _area(value: int | Decimal, field_name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
        raise InvalidTerms(field_name, _("Areas are non-negative numbers of square metres."))
    return Fraction(value)


def _facility_violations(facility: Facility, applied_on: date) -> list[Violation]:
    """Decree 112 Art 5; exactly at a minimum passes."""
    found: list[Violation] = []

    def add(code: str, template: Text, **details: Any) -> None:
        found.append(Violation(code, template, BASIS_LICENCE_FACILITY, details))

    classroom = _area(facility.classroom_m2, "facility.classroom_m2")
    dormitory = _area(facility.dormitory_m2, "facility.dormitory_m2")
    if facility.trainee_capacity < MIN_TRAINEES:
        add(
            "overseas.licence_facility_capacity",
            _("The facility must teach at least %(required)s trainees at the same time; %(given)s given."),
            given=facility.trainee_capacity,
            required=MIN_TRAINEES,
        )
    needed = CLASSROOM_M2_PER_TRAINEE * max(facility.trainee_capacity, 0)
    if classroom < needed:
        add(
            "overseas.licence_classroom_area",
            _(
                "Classrooms need at least 1.4 m² per trainee: %(required)s m² for %(trainees)s trainees, "
                "%(given)s m² given."
            ),
            given=classroom,
            required=needed,
            trainees=facility.trainee_capacity,
        )
    if facility.dormitory_capacity < 1:
        add("overseas.licence_dormitory_missing", _("The facility needs a dormitory for the trainees."))
    else:
        needed = DORMITORY_M2_PER_PERSON * facility.dormitory_capacity
        if dormitory < needed:
            add(
                "overseas.licence_dormitory_area",
                _(
                    "The dormitory needs at least 3.5 m² per person: %(required)s m² for %(persons)s "
                    "persons, %(given)s m² given."
                ),
                given=dormitory,
                required=needed,
                persons=facility.dormitory_capacity,
            )
        if facility.largest_room_occupants > MAX_PER_DORMITORY_ROOM:
            add(
                "overseas.licence_dormitory_room",
                _("A dormitory room may house at most %(most)s persons; one houses %(given)s."),
                given=facility.largest_room_occupants,
                most=MAX_PER_DORMITORY_ROOM,
            )
        if not facility.separated_by_sex:
            add("overseas.licence_dormitory_sexes", _("The dormitory must house men and women separately."))
    if not facility.owned:
        needed_until = add_years(applied_on, LEASE_YEARS_LEFT)
        if facility.lease_ends_on is None:
            add(
                "overseas.licence_lease_short",
                _(
                    "A leased facility needs at least 2 years of lease left when the application is made, "
                    "until %(required)s at least; no end date of the lease is given."
                ),
                required=needed_until,
            )
        elif facility.lease_ends_on < needed_until:
            add(
                "overseas.licence_lease_short",
                _(
                    "A leased facility needs at least 2 years of lease left when the application is made, "
                    "until %(required)s at least; the lease ends on %(given)s."
                ),
                given=facility.lease_ends_on,
                required=needed_until,
            )
    return found


# --- branches -----------------------------------------------------------------------------------------------

# Functions an enterprise may delegate to a branch assigned to send workers (Law Art 17; Circular 20/2021: the
# enterprise "phân quyền chức năng" of the database to its branches). The first four are the names
# `overseas.permissions.DELEGABLE` maps to permission codes.
DELEGABLE_FUNCTIONS: Mapping[str, Text] = {
    "read": _("See the enterprise's contracts, workers and reports for the branch's work"),
    "worker_registration": _("Register recruited workers and import worker lists"),
    "worker_update": _("Report departures, returns and the other steps of a worker's time abroad"),
    "reports": _("Prepare the branch's reports for the enterprise"),
    "training": _("Record orientation education, training and certificates"),
    "worker_support": _("Support workers abroad and answer their requests and complaints"),
}

# What a branch can never do, whatever it is delegated (Law Art 17).
BRANCH_FORBIDDEN_FUNCTIONS: Mapping[str, Text] = {
    "supply_contract_sign": _("Sign a supply contract"),
    "supply_contract_liquidate": _("Liquidate a supply contract"),
    "broker_contract_sign": _("Sign a broker contract"),
    "broker_contract_liquidate": _("Liquidate a broker contract"),
    "worker_contract_sign": _("Sign a contract with a worker"),
    "worker_contract_liquidate": _("Liquidate a contract with a worker"),
    "service_fee_collect": _("Collect service fees from workers"),
    "deposit_collect": _("Collect deposits from workers"),
}


def check_delegation(functions: Iterable[str]) -> list[Violation]:
    """One violation for each function a branch may never be given, in the order given (repeats once).
    A code in neither list raises `InvalidTerms`."""
    found: list[Violation] = []
    seen: set[str] = set()
    for function in functions:
        if function in seen:
            continue
        seen.add(function)
        if function in BRANCH_FORBIDDEN_FUNCTIONS:
            found.append(
                Violation(
                    "overseas.delegation_forbidden",
                    _("A branch may never be given this function: %(label)s."),
                    BASIS_BRANCH,
                    {"function": function, "label": BRANCH_FORBIDDEN_FUNCTIONS[function]},
                )
            )
        elif function not in DELEGABLE_FUNCTIONS:
            raise InvalidTerms("functions", _("This branch function is not known."))
    return found


# --- deadlines ----------------------------------------------------------------------------------------------

REPLY_WORKING_DAYS = 5  # supply contracts (Law Art 20), source preparation (Art 18.3), internships (Art 39)
BRANCH_REPORT_WORKING_DAYS = 5  # report a branch's assignment and update the database (Law Art 17)
DEPARTURE_UPDATE_DAYS = 5  # [U] calendar days: the table says "≤5 days after departure", not working days
LIQUIDATION_DAYS = 180  # after the worker's return
DEPARTURE_WAIT_DAYS = 180
INTERNSHIP_MINISTRY_DAYS = 90  # internships of 90 days or more are registered at the ministry
INTERNSHIP_DEPOSIT_SHARE = Fraction(1, 10)  # of the one-way economy airfare, per worker (Decree 112 Art 26)
NO_DEPARTURE_MONTHS = 24

DEADLINE_TITLES: Mapping[str, Text] = {
    "overseas.supply_contract_reply": _("Reply to a supply-contract registration"),
    "overseas.source_preparation_reply": _("Reply to a source-preparation request"),
    "overseas.internship_reply": _("Reply to an internship-contract registration"),
    "overseas.branch_report": _("Report a branch's assignment and update the database"),
    "overseas.departure_update": _("Update the database after a worker's departure"),
    "overseas.contract_liquidation": _("Liquidate the contract after the worker's return"),
    "overseas.departure_wait": _("Send the worker abroad"),
    "overseas.deposit_restore": _("Restore the enterprise's deposit after its use"),
    "overseas.annual_report": _("Submit the annual report"),
}


@dataclass(frozen=True)
class Deadline:
    """An obligation's last day on time (`due`, inclusive)."""

    code: str
    due: date
    legal_basis: str
    working_days: bool = False  # counted in working days

    @property
    def title(self) -> str:
        return str(DEADLINE_TITLES[self.code])


def _calendar_deadline(
    code: str, start: date, days: int, basis: str, add_working_days: AddWorkingDays | None
) -> Deadline:
    """`days` calendar days after `start` (the start day not counted). With `add_working_days`, a last day
    that is not a working day moves to the next working day (Civil Code 2015 Art 148)."""
    due = start + timedelta(days=days)
    if add_working_days is not None:
        due = add_working_days(due, 0)  # the day itself if it is a working day, else the next one
    return Deadline(code, due, basis)


def supply_contract_reply_deadline(complete_on: date, add_working_days: AddWorkingDays) -> Deadline:
    """The authority replies to a supply-contract registration within 5 working days of the complete
    dossier (Law Art 20; Circular 21 Art 13)."""
    due = add_working_days(complete_on, REPLY_WORKING_DAYS)
    return Deadline("overseas.supply_contract_reply", due, BASIS_SUPPLY_CONTRACT_REPLY, working_days=True)


def source_preparation_reply_deadline(complete_on: date, add_working_days: AddWorkingDays) -> Deadline:
    """The ministry approves a source-preparation request within 5 working days (Law Art 18.3)."""
    due = add_working_days(complete_on, REPLY_WORKING_DAYS)
    return Deadline("overseas.source_preparation_reply", due, BASIS_SOURCE_PREPARATION, working_days=True)


def internship_reply_deadline(complete_on: date, add_working_days: AddWorkingDays) -> Deadline:
    """The registrar (`internship_registrar`) replies within 5 working days (Law Art 39)."""
    due = add_working_days(complete_on, REPLY_WORKING_DAYS)
    return Deadline("overseas.internship_reply", due, BASIS_INTERNSHIP, working_days=True)


def branch_report_deadline(assigned_on: date, add_working_days: AddWorkingDays) -> Deadline:
    """The enterprise reports a branch's assignment and updates the database within 5 working days."""
    due = add_working_days(assigned_on, BRANCH_REPORT_WORKING_DAYS)
    return Deadline("overseas.branch_report", due, BASIS_BRANCH_REPORT, working_days=True)


def departure_update_deadline(
    departed_on: date, *, add_working_days: AddWorkingDays | None = None
) -> Deadline:
    """The enterprise updates the database within 5 days of a worker's departure (calendar days [U])."""
    return _calendar_deadline(
        "overseas.departure_update",
        departed_on,
        DEPARTURE_UPDATE_DAYS,
        BASIS_DEPARTURE_UPDATE,
        add_working_days,
    )


def liquidation_deadline(returned_on: date, *, add_working_days: AddWorkingDays | None = None) -> Deadline:
    """The contract with the worker is liquidated within 180 days of the worker's return (Law Art 26)."""
    return _calendar_deadline(
        "overseas.contract_liquidation", returned_on, LIQUIDATION_DAYS, BASIS_OBLIGATIONS, add_working_days
    )


def departure_wait_deadline(signed_on: date, *, add_working_days: AddWorkingDays | None = None) -> Deadline:
    """A worker waits at most 180 days to depart (Law Art 26). [U] Counted from the day the contract with
    the worker is signed: the table gives the length, not the start."""
    return _calendar_deadline(
        "overseas.departure_wait", signed_on, DEPARTURE_WAIT_DAYS, BASIS_OBLIGATIONS, add_working_days
    )


def deposit_restore_deadline(used_on: date, *, add_working_days: AddWorkingDays | None = None) -> Deadline:
    """After its deposit is used, the enterprise restores it within 30 days (Law Art 24; Decree 112 Art
    23)."""
    return _calendar_deadline(
        "overseas.deposit_restore", used_on, DEPOSIT_RESTORE_DAYS, BASIS_ENTERPRISE_DEPOSIT, add_working_days
    )


def annual_report_period(year: int) -> tuple[date, date]:
    """The data the report of `year` covers: 15 December of the year before to 14 December (Circular 21
    Art 15), both days included."""
    return date(year - 1, 12, 15), date(year, 12, 14)


def annual_report_due(year: int) -> date:
    """The last day on time: the report is due *before* 20 December, so 19 December. [U] Read strictly
    ("trước ngày 20 tháng 12"); not moved off a weekend, which would take it past the 20th."""
    return date(year, 12, 19)


def annual_report_deadline(year: int) -> Deadline:
    return Deadline("overseas.annual_report", annual_report_due(year), BASIS_ANNUAL_REPORT)


PROVINCE, MINISTRY = "province", "ministry"


def internship_registrar(days: int) -> str:
    """Where an internship contract is registered (Law Art 39): the provincial labour agency for an
    internship under 90 days, the ministry for 90 days or more."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidTerms("days", _("An internship lasts at least one day."))
    return MINISTRY if days >= INTERNSHIP_MINISTRY_DAYS else PROVINCE


def internship_deposit(one_way_airfare_vnd: int, workers: int) -> int:
    """The enterprise's deposit for an internship contract (Decree 112 Art 26): 10% of one one-way economy
    airfare for each worker, rounded *up* to the đồng (the deposit protects the workers)."""
    _check_money("one_way_airfare_vnd", one_way_airfare_vnd)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidTerms("workers", _("An internship contract is for at least one worker."))
    total = INTERNSHIP_DEPOSIT_SHARE * one_way_airfare_vnd * workers
    return -(-total.numerator // total.denominator)


# --- overdue obligations (for dashboards) ------------------------------------------------------------------


def days_overdue(due: date, *, today: date, done_on: date | None = None) -> int:
    """Calendar days past the last day on time, 0 when on time: measured to `done_on` when the obligation
    was met, else to `today`. Working-day deadlines are late by calendar days too (what a reader counts)."""
    end = done_on if done_on is not None else today
    return max(0, (end - due).days)


@dataclass(frozen=True)
class Overdue:
    deadline: Deadline
    days: int  # calendar days late (1 or more)
    done_on: date | None = None  # met late on this day; None: still not met

    @property
    def message(self) -> str:
        if self.done_on is None:
            template = _("%(title)s: %(days)s days overdue (due %(due)s).")
        else:
            template = _("%(title)s: done %(days)s days late, on %(done)s (due %(due)s).")
        return str(template) % {
            "title": self.deadline.title,
            "days": self.days,
            "due": _dmy(self.deadline.due),
            "done": _dmy(self.done_on) if self.done_on else "",
        }


def overdue_obligations(
    obligations: Iterable[tuple[Deadline, date | None]], *, today: date, include_done: bool = False
) -> list[Overdue]:
    """The obligations that are late, most late first (then the earliest due), from (deadline, done_on)
    pairs. Those met late are left out unless `include_done`."""
    late: list[Overdue] = []
    for deadline, done_on in obligations:
        if done_on is not None and not include_done:
            continue
        days = days_overdue(deadline.due, today=today, done_on=done_on)
        if days:
            late.append(Overdue(deadline, days, done_on))
    late.sort(key=lambda item: (-item.days, item.deadline.due, item.deadline.code))
    return late


# --- revocation ---------------------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for day_of_month in (day.day, 30, 29, 28):  # the last day of a shorter month
        try:
            return date(year, month + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def no_departure_ground_from(*, licensed_on: date, last_departure_on: date | None) -> date:
    """The first day on which 24 consecutive months have passed with no worker sent: the months run from
    the day after the last departure (or the licence, if no worker was ever sent)."""
    start = max(licensed_on, last_departure_on) if last_departure_on else licensed_on
    return _add_months(start, NO_DEPARTURE_MONTHS) + timedelta(days=1)


def no_departure_revocation(
    *, licensed_on: date, last_departure_on: date | None, today: date, force_majeure: bool = False
) -> Violation | None:
    """A ground to revoke the licence: no worker sent for 24 consecutive months (Law Art 16.2; Decree 112
    Art 10). [U] Force majeure is a yes/no the authority decides (`force_majeure`), not a period deducted."""
    ground_from = no_departure_ground_from(licensed_on=licensed_on, last_departure_on=last_departure_on)
    if force_majeure or today < ground_from:
        return None
    since = max(licensed_on, last_departure_on) if last_departure_on else licensed_on
    return Violation(
        "overseas.no_departures_24_months",
        _(
            "No worker has been sent abroad since %(since)s: 24 consecutive months without sending a worker "
            "is a ground to revoke the licence."
        ),
        BASIS_REVOCATION,
        {"since": since, "ground_from": ground_from},
    )
