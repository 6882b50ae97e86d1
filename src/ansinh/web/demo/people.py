"""Invented people whose identifiers hang together: the personal ID number opens with the code of the
(pre-2025) province where the birth was registered, then the century/sex digit and the year of birth
(Circular 59/2021/TT-BCA, see `ansinh.core.identifiers`); the person usually still lives in the
province that absorbed it in 2025.

Uniqueness is by construction, not by remembering every number issued: within one ID prefix (province,
century/sex, year) the six serial digits walk a fixed permutation of 0..999999, and passports do the
same per letter. A 10-million-person demo therefore needs a few thousand counters, not a set of ten
million strings.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from ansinh.core.legacy_provinces import LEGACY_PROVINCES
from ansinh.core.text import strip_diacritics
from ansinh.web.demo import names

# Multipliers coprime to 10**6 and 10**7 (odd, not a multiple of 5): i -> (i * m + offset) mod n is a
# bijection, so consecutive counters give scattered but never repeated serial numbers.
_ID_MULTIPLIER = 387_403
_PASSPORT_MULTIPLIER = 6_143_219
_ID_SERIALS = 10**6
_PASSPORT_SERIALS = 10**7


@dataclass(frozen=True)
class Place:
    """A province as the generator needs it: its id, its name, some of its wards (ids), and the legacy
    codes of the provinces merged into it (the likely birth provinces of its residents)."""

    province_id: int
    name: str
    wards: tuple[int, ...] = ()
    legacy_codes: tuple[str, ...] = ()


@dataclass
class PersonData:
    full_name: str
    sex: str
    date_of_birth: date
    personal_id: str
    passport_number: str
    phone: str
    email: str
    address: str
    province_id: int
    ward_id: int | None

    def as_fields(self) -> dict[str, object]:
        return {
            "full_name": self.full_name,
            "sex": self.sex,
            "date_of_birth": self.date_of_birth,
            "personal_id": self.personal_id,
            "passport_number": self.passport_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "province_id": self.province_id,
            "ward_id": self.ward_id,
        }


def _weighted(pairs: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


@dataclass
class PeopleGenerator:
    """Draws people from one seeded random generator, so the same seed gives the same register."""

    rng: random.Random
    places: list[Place]
    today: date
    # Share of people who hold a passport (workers abroad, people preparing to leave).
    passport_share: float = 0.4
    email_share: float = 0.3
    _id_counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _id_offsets: dict[str, int] = field(default_factory=dict)
    _passport_counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _passport_offsets: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.places:
            raise ValueError("PeopleGenerator needs at least one province")
        self._surnames = _weighted(names.SURNAMES)
        self._middle = {"M": _weighted(names.MIDDLE_MALE), "F": _weighted(names.MIDDLE_FEMALE)}
        self._given = {"M": names.GIVEN_MALE, "F": names.GIVEN_FEMALE}
        self._all_codes = sorted(LEGACY_PROVINCES)

    # --- parts ---------------------------------------------------------------------------------------

    def _pick(self, weighted: tuple[list[str], list[float]]) -> str:
        values, cum = weighted
        return self.rng.choices(values, cum_weights=cum)[0]

    def full_name(self, sex: str) -> tuple[str, str, str, str]:
        surname = self._pick(self._surnames)
        middle = self._pick(self._middle[sex])
        given = self.rng.choice(self._given[sex])
        return f"{surname} {middle} {given}", surname, middle, given

    def date_of_birth(self, *, min_age: int = 18, max_age: int = 62) -> date:
        # Working age: the registers this platform keeps are about workers and job seekers.
        youngest = self.today.replace(year=self.today.year - min_age)
        span = (youngest - self.today.replace(year=self.today.year - max_age)).days
        return youngest - timedelta(days=self.rng.randrange(span))

    def personal_id(self, legacy_code: str, sex: str, born: date) -> str:
        century = (born.year // 100 - 19) * 2
        digit = century + (1 if sex == "F" else 0)
        prefix = f"{legacy_code}{digit}{born.year % 100:02d}"
        if prefix not in self._id_offsets:
            self._id_offsets[prefix] = self.rng.randrange(_ID_SERIALS)
        n = self._id_counters[prefix]
        if n >= _ID_SERIALS:
            raise OverflowError(f"more than a million people share the ID prefix {prefix}")
        self._id_counters[prefix] = n + 1
        serial = (n * _ID_MULTIPLIER + self._id_offsets[prefix]) % _ID_SERIALS
        return f"{prefix}{serial:06d}"

    def passport_number(self) -> str:
        # Passports issued since 2011 start with "C"; older and official ones with other letters.
        letter = self.rng.choices(["C", "N", "B"], weights=[90, 7, 3])[0]
        if letter not in self._passport_offsets:
            self._passport_offsets[letter] = self.rng.randrange(_PASSPORT_SERIALS)
        n = self._passport_counters[letter]
        self._passport_counters[letter] = n + 1
        serial = (n * _PASSPORT_MULTIPLIER + self._passport_offsets[letter]) % _PASSPORT_SERIALS
        return f"{letter}{serial:07d}"

    def phone(self) -> str:
        """A Vietnamese mobile number in E.164 (+84 and nine digits)."""
        return f"+84{self.rng.choice(names.MOBILE_PREFIXES)}{self.rng.randrange(10**7):07d}"

    def email(self, surname: str, given: str) -> str:
        # example.com (RFC 2606): demo mail must never reach a real mailbox.
        local = strip_diacritics(f"{given}.{surname}").lower()
        return f"{local}{self.rng.randrange(1, 1000)}@example.com"

    def address(self, place: Place) -> tuple[str, int | None]:
        """The street or hamlet line and a ward of the province. The ward and province are fields of
        their own (pages print them after the address), so the line does not repeat them."""
        ward_id = self.rng.choice(place.wards) if place.wards else None
        if self.rng.random() < 0.6:
            line = f"{self.rng.choice(names.HAMLETS)} {self.rng.randrange(1, 20)}"
        else:
            line = f"Số {self.rng.randrange(1, 300)} đường {self.rng.choice(names.STREETS)}"
        return line, ward_id

    def _birth_code(self, place: Place) -> str:
        # Most people were born in (a province now merged into) the one where they live; some moved.
        if place.legacy_codes and self.rng.random() < 0.85:
            return self.rng.choice(place.legacy_codes)
        return self.rng.choice(self._all_codes)

    # --- whole people ----------------------------------------------------------------------------------

    def person(self, place: Place | None = None, *, sex: str | None = None) -> PersonData:
        place = place or self.rng.choice(self.places)
        sex = sex or self.rng.choice("MF")
        full_name, surname, _middle, given = self.full_name(sex)
        born = self.date_of_birth()
        address, ward_id = self.address(place)
        return PersonData(
            full_name=full_name,
            sex=sex,
            date_of_birth=born,
            personal_id=self.personal_id(self._birth_code(place), sex, born),
            passport_number=self.passport_number() if self.rng.random() < self.passport_share else "",
            phone=self.phone() if self.rng.random() < 0.9 else "",
            email=self.email(surname, given) if self.rng.random() < self.email_share else "",
            address=address,
            province_id=place.province_id,
            ward_id=ward_id,
        )


@dataclass
class Credentials:
    """Demo passwords and authenticator secrets, from a generator of their own: they depend only on the
    seed, not on how many wards the reference data has, so the published table stays valid."""

    rng: random.Random

    def password(self) -> str:
        """Three words and two digits, e.g. "Sen-Mekong-Tre-47": easy to type, passes the password rules."""
        words = self.rng.sample(names.PASSWORD_WORDS, 3)
        return "-".join(words) + f"-{self.rng.randrange(10, 100)}"

    def totp_secret(self) -> str:
        """A base32 TOTP secret (160 bits)."""
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        return "".join(self.rng.choice(alphabet) for _ in range(32))
