"""`ansinh load_reference`: complete, faithful to its sources, idempotent."""

from io import StringIO

import pycountry
import pytest
import vietnam_provinces
from django.core.management import call_command

from ansinh.core.legacy_provinces import LEGACY_PROVINCES
from ansinh.core.models import AuditEntry
from ansinh.core.reference_models import LegalParameter
from ansinh.core.text import normalise_search
from ansinh.geo.models import Country, LegacyProvince, Occupation, Province, Ward
from ansinh.geo.services import reference_load_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

PACKAGE_WARDS = sum(1 for _ in vietnam_provinces.Ward.iter_all())

# domain/README.md section 7: the provinces merged into another on 1 July 2025 (all others kept their name,
# Thừa Thiên Huế became Huế).
MERGED_INTO = {
    "Hải Dương": "Hải Phòng",
    "Quảng Nam": "Đà Nẵng",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa – Vũng Tàu": "Hồ Chí Minh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Bắc Giang": "Bắc Ninh",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Thái Bình": "Hưng Yên",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Phú Yên": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Tiền Giang": "Đồng Tháp",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Kiên Giang": "An Giang",
    "Bạc Liêu": "Cà Mau",
    "Thừa Thiên Huế": "Huế",
    "TP Hồ Chí Minh": "Hồ Chí Minh",
}


def test_provinces():
    assert Province.objects.count() == 34
    hanoi = Province.objects.get(code="01")
    assert (hanoi.name, hanoi.name_en, hanoi.unit_type, hanoi.name_search) == (
        "Thành phố Hà Nội",
        "Ha Noi City",
        "city",
        "ha noi",
    )
    assert Province.objects.get(code="66").name == "Tỉnh Đắk Lắk"
    assert set(Province.objects.values_list("unit_type", flat=True)) == {"city", "province"}


def test_wards_match_the_package():
    assert Ward.objects.count() == PACKAGE_WARDS > 3000
    assert set(Ward.objects.values_list("unit_type", flat=True)) == {"ward", "commune", "special_zone"}
    ba_dinh = Ward.objects.select_related("province").get(code="00004")
    assert (ba_dinh.name, ba_dinh.name_en, ba_dinh.name_search) == (
        "Phường Ba Đình",
        "Ba Dinh Ward",
        "ba dinh",
    )
    assert ba_dinh.province.code == "01"
    # The package spells one commune "xã Bắc Sơn": the loader writes the type word consistently.
    # (Compared in Python: SQLite's LIKE ignores the case of ASCII letters.)
    assert not [name for name in Ward.objects.values_list("name", flat=True) if name.startswith("xã ")]


def test_legacy_provinces_point_at_their_2025_successor():
    legacy = {lp.name: lp.successor for lp in LegacyProvince.objects.select_related("successor")}
    assert len(legacy) == 63 == len(LEGACY_PROVINCES)
    for old_name, successor in legacy.items():
        expected = MERGED_INTO.get(old_name, old_name)
        assert successor is not None
        assert successor.name_search == normalise_search(expected), old_name
    # Every 2025 province is the successor of at least one old one.
    assert {s.pk for s in legacy.values()} == set(Province.objects.values_list("pk", flat=True))


def test_countries():
    assert Country.objects.count() == len(pycountry.countries)
    vn = Country.objects.get(iso2="VN")
    assert (vn.iso3, vn.numeric, vn.name_vi) == ("VNM", "704", "Việt Nam")
    names = dict(Country.objects.filter(iso2__in=["KR", "JP", "TW", "DE"]).values_list("iso2", "name_vi"))
    assert names == {"KR": "Hàn Quốc", "JP": "Nhật Bản", "TW": "Đài Loan (Trung Quốc)", "DE": "Đức"}
    assert Country.objects.get(iso2="KR").name_en == "South Korea"
    assert "han quoc" in Country.objects.get(iso2="KR").name_search


def test_occupations():
    counts = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 10, 2: 43, 3: 130}
    care = Occupation.objects.select_related("parent__parent").get(code="532")
    assert care.name_en == "Personal care workers in health services"
    assert (care.parent.code, care.parent.parent.code) == ("53", "5")
    assert not Occupation.objects.filter(level__gt=1, parent__isnull=True).exists()
    assert not Occupation.objects.filter(name_search="").exists()


def test_legal_parameters():
    assert LegalParameter.objects.count() == 60
    assert LegalParameter.objects.filter(valid_to__isnull=True).count() == 4 + 4 + 1


def test_rerun_changes_nothing_and_writes_no_audit_entry():
    audit_before = AuditEntry.objects.count()
    results = reference_load_all()
    assert all(r.created == r.updated == 0 for r in results.values())
    assert results["wards"].unchanged == PACKAGE_WARDS
    assert AuditEntry.objects.count() == audit_before


def test_rerun_repairs_edited_and_missing_rows_and_audits_it():
    Province.objects.filter(code="01").update(name="Hà Nội (sửa tay)")
    Country.objects.filter(iso2="JP").delete()
    audit_before = AuditEntry.objects.count()

    results = reference_load_all()

    assert (results["provinces"].updated, results["countries"].created) == (1, 1)
    assert Province.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Country.objects.filter(iso2="JP").exists()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert entry.action == "reference.load"
    assert entry.changes["provinces"] == {"created": 0, "updated": 1}


def test_load_into_an_empty_database():
    for model in (Ward, LegacyProvince, Province, Occupation, Country, LegalParameter):
        # Occupations point at their parents: delete the leaves first.
        if model is Occupation:
            for level in (3, 2, 1):
                Occupation.objects.filter(level=level).delete()
        model.objects.all().delete()

    results = reference_load_all()

    assert {name: r.created for name, r in results.items()} == {
        "provinces": 34,
        "wards": PACKAGE_WARDS,
        "legacy_provinces": 63,
        "countries": len(pycountry.countries),
        "occupations": 183,
        "legal_parameters": 60,
    }


def test_command_prints_counts():
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert f"wards              {PACKAGE_WARDS} rows: 0 created, 0 updated, {PACKAGE_WARDS} unchanged" in text
    assert "Already up to date." in text


def test_command_is_quiet_with_verbosity_0():
    out = StringIO()
    call_command("load_reference", verbosity=0, stdout=out)
    assert out.getvalue() == ""
