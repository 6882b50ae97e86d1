"""Signed PDFs verify; anything changed, unsigned, broken or signed by a stranger does not.

The development CA lives in the per-run SIGNING_DIR (tests/conftest.py), so it is made once per run.
"""

import asyncio
import datetime
import io
import re
import shutil
import stat
import threading

import pypdf
import pytest
from cryptography import x509
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.test import override_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from ansinh.core.pdf import qr_data_uri, render_pdf
from ansinh.core.signing import (
    CA_NAME,
    ensure_dev_ca,
    organisation_signer,
    sign_pdf,
    trust_roots,
    verify_pdf,
)

ORG_CODE = "TTDVVL-DLK"
ORG_NAME = "Trung tâm Dịch vụ việc làm tỉnh Đắk Lắk"
TITLE = "Decision0012"


def _blank_pdf(title: str = TITLE) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def signed(_test_files_dir) -> bytes:
    # Module scope runs before the per-test settings fixture, so point at the run's SIGNING_DIR here too.
    with override_settings(SIGNING_DIR=_test_files_dir / "pki"):
        return sign_pdf(_blank_pdf(), org_code=ORG_CODE, org_name=ORG_NAME, reason="Cấp quyết định")


def _signed_range_end(pdf: bytes) -> int:
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)
    assert match
    return int(match.group(1))


def test_signed_pdf_verifies(signed):
    report = verify_pdf(signed)
    assert report.valid
    assert report.intact
    assert report.trusted
    assert report.covers_whole_document
    assert report.signer == ORG_NAME
    assert report.problem == ""
    assert report.signed_at is not None
    assert abs(report.signed_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=10)


def test_rendered_document_signs_and_verifies():
    template = engines["django"].from_string(
        '{% extends "core/pdf_base.html" %}{% block heading %}Quyết định{% endblock %}'
        "{% block body %}<p>Người lao động ở Đắk Lắk.</p>{% endblock %}"
    )
    url = "http://127.0.0.1:8000/xac-thuc/AB12"
    pdf = render_pdf(template, {"issuer_name": ORG_NAME, "qr": qr_data_uri(url), "short_code": "AB12"})
    report = verify_pdf(sign_pdf(pdf, org_code=ORG_CODE, org_name=ORG_NAME))
    assert report.valid, report.problem
    assert report.signer == ORG_NAME


def test_one_changed_byte_inside_the_signed_range_breaks_it(signed):
    position = signed.index(TITLE.encode())
    assert position < _signed_range_end(signed)
    forged = signed.replace(b"Decision0012", b"Decision0013")
    assert len(forged) == len(signed)
    report = verify_pdf(forged)
    assert not report.valid
    assert not report.intact
    assert report.problem == "document modified after signing"


@pytest.mark.parametrize("tail", [b"\n", b"x", b"\n\n\n"])
def test_appended_bytes_break_it(signed, tail):
    report = verify_pdf(signed + tail)
    assert not report.valid
    assert report.intact  # the signed bytes are untouched, but they are no longer the whole file
    assert not report.covers_whole_document
    assert report.problem == "document modified after signing"


def test_an_incremental_update_after_signing_breaks_it(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root[generic.pdf_name("/Lang")] = generic.pdf_string("en")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    report = verify_pdf(output.getvalue())
    assert not report.valid
    assert not report.covers_whole_document
    assert report.problem == "document modified after signing"


def test_unsigned_pdf():
    report = verify_pdf(_blank_pdf())
    assert not report.valid
    assert report.problem == "no signature"


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, b"%PDF-1.7\n%%EOF"],
)
def test_garbage_gives_a_report_not_an_exception(garbage):
    report = verify_pdf(garbage)
    assert not report.valid
    assert report.problem == "unreadable PDF"


def test_truncated_signed_pdf(signed):
    report = verify_pdf(signed[: len(signed) // 2])
    assert not report.valid
    assert report.problem == "unreadable PDF"


def test_signature_from_another_ca_is_not_trusted(settings, tmp_path, signed):
    own_dir = settings.SIGNING_DIR
    settings.SIGNING_DIR = tmp_path / "rogue"
    forged = sign_pdf(_blank_pdf(), org_code=ORG_CODE, org_name=ORG_NAME)
    settings.SIGNING_DIR = own_dir
    report = verify_pdf(forged)
    assert report.intact
    assert not report.trusted
    assert not report.valid
    assert report.problem == "untrusted certificate"
    assert report.signer == ORG_NAME  # what the stranger claims; not valid, so it means nothing


def test_authorities_in_the_trusted_folder_are_trusted(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "partner"
    partner_signed = sign_pdf(_blank_pdf(), org_code="DN-001", org_name="Công ty Cổ phần Nhân lực Quốc tế")
    # A verify-only node: no CA of its own, only the partner authority's root in trusted/.
    settings.SIGNING_DIR = tmp_path / "verifier"
    (tmp_path / "verifier" / "trusted").mkdir(parents=True)
    shutil.copy(tmp_path / "partner" / "dev-ca.pem", tmp_path / "verifier" / "trusted" / "partner.pem")
    (tmp_path / "verifier" / "trusted" / "broken.pem").write_text("not a certificate")
    assert [root.subject.rfc4514_string() for root in trust_roots()] == [f"CN={CA_NAME},O=ansinh,C=VN"]
    report = verify_pdf(partner_signed)
    assert report.valid, report.problem
    assert not (tmp_path / "verifier" / "dev-ca.pem").exists()  # verifying creates nothing


def test_ca_is_created_once_and_reused(settings):
    key, cert = ensure_dev_ca()
    again_key, again_cert = ensure_dev_ca()
    assert again_cert.serial_number == cert.serial_number
    assert again_key.public_key().public_numbers() == key.public_key().public_numbers()
    assert cert.subject.rfc4514_string() == f"CN={CA_NAME},O=ansinh,C=VN"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    key_file = settings.SIGNING_DIR / "dev-ca.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.SIGNING_DIR.stat().st_mode) == 0o700


def test_racing_first_use_ends_with_one_ca(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "fresh"
    serials: list[int] = []
    start = threading.Barrier(4)

    def make() -> None:
        start.wait()
        serials.append(ensure_dev_ca()[1].serial_number)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(serials) == 4
    assert len(set(serials)) == 1
    assert not list((tmp_path / "fresh").glob("*.tmp"))


def test_a_ca_certificate_without_its_key_is_never_replaced(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "keyless"
    ensure_dev_ca()
    (tmp_path / "keyless" / "dev-ca.key").unlink()
    with pytest.raises(ImproperlyConfigured):
        ensure_dev_ca()


def test_organisation_certificate_is_reused_and_follows_a_rename(settings):
    first = organisation_signer("REN-01", "Sở Nội vụ tỉnh Gia Lai")
    same = organisation_signer("REN-01", "Sở Nội vụ tỉnh Gia Lai")
    renamed = organisation_signer("REN-01", "Sở Nội vụ tỉnh Gia Lai (mới)")
    assert same.signing_cert.serial_number == first.signing_cert.serial_number
    assert renamed.signing_cert.serial_number != first.signing_cert.serial_number
    assert renamed.signing_cert.subject.native["organization_name"] == "Sở Nội vụ tỉnh Gia Lai (mới)"
    key_file = settings.SIGNING_DIR / "orgs" / "REN-01.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_organisation_certificate_contents():
    cert = organisation_signer(ORG_CODE, ORG_NAME).signing_cert
    assert cert.subject.native["organizational_unit_name"] == ORG_CODE
    assert cert.key_usage_value.native == {"digital_signature", "non_repudiation"}
    assert not cert.ca
    years = (cert.not_valid_after - cert.not_valid_before).days / 365
    assert 2.9 < years < 3.1


def test_long_organisation_names_are_kept_whole():
    name = "Công ty Trách nhiệm hữu hạn Một thành viên Dịch vụ Xuất khẩu Lao động và Chuyên gia Quốc tế"
    assert len(name) > 64  # longer than a certificate's common name may be
    report = verify_pdf(sign_pdf(_blank_pdf(), org_code="DN-LONG", org_name=name))
    assert report.valid
    assert report.signer == name


@pytest.mark.parametrize("code", ["", "../etc", "a/b", ".hidden", "dấu", "x" * 65, "a b"])
def test_organisation_code_must_be_a_safe_file_name(code):
    with pytest.raises(ValueError):
        organisation_signer(code, ORG_NAME)


def test_works_from_inside_an_event_loop(signed):
    # pyHanko's sync API uses asyncio.run(); async views and consumers call us with a loop running.
    async def scenario():
        return verify_pdf(signed), sign_pdf(_blank_pdf(), org_code=ORG_CODE, org_name=ORG_NAME)

    report, resigned = asyncio.run(scenario())
    assert report.valid
    assert verify_pdf(resigned).valid
