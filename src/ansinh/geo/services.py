"""Writes of reference data: `reference_load_all()` brings provinces, wards, legacy province codes,
countries, occupations and legal parameters in line with their sources (see `ansinh.geo.sources`).

Semantics are update_or_create, done in bulk: rows missing from the database are created, rows whose
fields differ are updated, equal rows are not touched, so a rerun writes nothing. Rows that disappeared
from a source are kept, not deleted: people, organisations and decisions point at them (PROTECT), and an
old ward must still print on an old decision.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from ansinh.core import audit
from ansinh.core.legal import parameter_file_rows
from ansinh.core.reference_models import LegalParameter
from ansinh.geo import sources
from ansinh.geo.models import Country, LegacyProvince, Occupation, Province, Ward

BATCH_SIZE = 500


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync[M: models.Model](model: type[M], key: Sequence[str], rows: list[dict[str, Any]]) -> SyncResult:
    """Bulk update_or_create of `rows` (model field dicts) identified by the `key` fields."""
    result = SyncResult()
    if not rows:
        return result
    fields = [f for f in rows[0] if f not in key]
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in model._default_manager.all()}
    to_create: list[M] = []
    to_update: list[M] = []
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key))
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
        else:
            result.unchanged += 1
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update and fields:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _ids_by_code(model: type[Province] | type[Occupation]) -> dict[str, int]:
    return dict(model._default_manager.values_list("code", "pk"))


def reference_load_provinces() -> SyncResult:
    return _sync(Province, ["code"], sources.province_rows())


def reference_load_wards() -> SyncResult:
    """Needs the provinces loaded first (foreign key by province code)."""
    province_ids = _ids_by_code(Province)
    rows = []
    for row in sources.ward_rows():
        code = row.pop("province_code")
        rows.append({**row, "province_id": province_ids[code]})
    return _sync(Ward, ["code"], rows)


def reference_load_legacy_provinces() -> SyncResult:
    province_ids = _ids_by_code(Province)
    rows = [
        {"code": r["code"], "name": r["name"], "successor_id": province_ids[r["successor_code"]]}
        for r in sources.legacy_province_rows()
    ]
    return _sync(LegacyProvince, ["code"], rows)


def reference_load_countries() -> SyncResult:
    return _sync(Country, ["iso2"], sources.country_rows())


def reference_load_occupations() -> SyncResult:
    """Level by level, so each group's parent exists before the group points at it."""
    all_rows = sources.occupation_rows()
    result = SyncResult()
    for level in sorted({r["level"] for r in all_rows}):
        parent_ids = _ids_by_code(Occupation)
        rows = []
        for row in all_rows:
            if row["level"] != level:
                continue
            parent_code = row["parent_code"]
            fields = {k: v for k, v in row.items() if k != "parent_code"}
            rows.append({**fields, "parent_id": parent_ids[parent_code] if parent_code else None})
        step = _sync(Occupation, ["code"], rows)
        result.created += step.created
        result.updated += step.updated
        result.unchanged += step.unchanged
    return result


def reference_load_legal_parameters() -> SyncResult:
    return _sync(LegalParameter, ["code", "region", "valid_from"], parameter_file_rows())


def reference_load_all(*, actor: Any = None) -> dict[str, SyncResult]:
    """Load every reference list in one transaction; one audit entry if anything changed."""
    with transaction.atomic():
        results = {
            "provinces": reference_load_provinces(),
            "wards": reference_load_wards(),
            "legacy_provinces": reference_load_legacy_provinces(),
            "countries": reference_load_countries(),
            "occupations": reference_load_occupations(),
            "legal_parameters": reference_load_legal_parameters(),
        }
        if any(r.changed for r in results.values()):
            audit.record(
                actor=actor,
                action="reference.load",
                object_type="reference",
                changes={name: {"created": r.created, "updated": r.updated} for name, r in results.items()},
            )
    return results
