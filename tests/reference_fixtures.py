"""The `reference_data` fixture: the real provinces, wards, countries, occupations and legal parameters.

Loading takes about a second, so it happens once per test session, outside the per-test transactions
(`django_db_blocker`), the first time a test asks for it; every later test sees the committed rows and
rolls back only its own changes. Works the same on SQLite and PostgreSQL. A transactional test flushes
the database when it ends; the next test that asks for `reference_data` notices and loads again.

No audit entry is written (the loaders are called one by one, not through `reference_load_all`), so tests
that count audit entries are not affected by which test ran first.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction

from ansinh.core.reference_models import LegalParameter
from ansinh.geo import services
from ansinh.geo.models import Country, Province, Ward


def _load() -> None:
    with transaction.atomic():
        services.reference_load_provinces()
        services.reference_load_wards()
        services.reference_load_legacy_provinces()
        services.reference_load_countries()
        services.reference_load_occupations()
        services.reference_load_legal_parameters()


def _loaded() -> bool:
    return Ward.objects.exists() and LegalParameter.objects.exists() and Country.objects.exists()


@dataclass(frozen=True)
class ReferenceData:
    """Shortcuts for tests: `reference_data.province("79")`, `reference_data.country("KR")`."""

    def province(self, code: str) -> Province:
        return Province.objects.get(code=code)

    def ward(self, code: str) -> Ward:
        return Ward.objects.get(code=code)

    def country(self, iso2: str) -> Country:
        return Country.objects.get(iso2=iso2)


@pytest.fixture(scope="session")
def reference_data_loaded(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        if not _loaded():
            _load()


@pytest.fixture
def reference_data(reference_data_loaded, db) -> ReferenceData:
    if not _loaded():  # a transactional test flushed the database since the session load
        _load()
    return ReferenceData()
