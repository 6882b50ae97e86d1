"""PDF rendering: Vietnamese survives, the QR code is an exact image, and no URL is ever fetched."""

import datetime
import io
import logging
import socket
import unicodedata

import pypdf
import pytest
import segno
from django.template import engines

from ansinh.core.pdf import qr_data_uri, render_pdf

VERIFY_URL = "http://127.0.0.1:8000/xac-thuc/K7Q2-9MXD"

DECISION = """{% extends "core/pdf_base.html" %}
{% block title %}Quyết định hưởng trợ cấp thất nghiệp{% endblock %}
{% block heading %}Quyết định{% endblock %}
{% block body %}<p>Quyết định số 12 cho người lao động tại Đắk Lắk.</p>{% endblock %}
"""


def _template(source: str):
    return engines["django"].from_string(source)


def _context(**extra):
    return {
        "issuer_parent": "Bộ Nội vụ",
        "issuer_name": "Trung tâm Dịch vụ việc làm Đắk Lắk",
        "document_number": "Số: 12/QĐ-TTDVVL",
        "place": "Đắk Lắk",
        "issued_on": datetime.date(2026, 3, 5),
        "qr": qr_data_uri(VERIFY_URL),
        "short_code": "K7Q2-9MXD",
        "verify_url": VERIFY_URL,
        **extra,
    }


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _images(pdf: bytes) -> list:
    return [image for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for image in page.images]


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    return render_pdf(_template(DECISION), _context())


def test_vietnamese_text_keeps_its_diacritics(decision_pdf):
    text = _text(decision_pdf)
    assert "Quyết định số 12 cho người lao động tại Đắk Lắk." in text
    assert "QUYẾT ĐỊNH" in text  # the heading, upper-cased by the stylesheet
    assert "Đắk Lắk, ngày 05 tháng 03 năm 2026" in text


def test_national_motto_heads_the_document_in_any_language():
    english = _text(render_pdf(_template(DECISION), _context(), language="en"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in english
    assert "Độc lập - Tự do - Hạnh phúc" in english
    assert "Đắk Lắk, 5 March 2026" in english


def test_document_language_and_metadata(decision_pdf):
    reader = pypdf.PdfReader(io.BytesIO(decision_pdf))
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    assert reader.metadata.title == "Quyết định hưởng trợ cấp thất nghiệp"
    assert reader.metadata.author == "Trung tâm Dịch vụ việc làm Đắk Lắk"
    english = pypdf.PdfReader(io.BytesIO(render_pdf(_template(DECISION), _context(), language="en")))
    assert english.trailer["/Root"]["/Lang"] == "en"


def test_footer_carries_the_verification_code_and_address(decision_pdf):
    text = _text(decision_pdf)
    assert VERIFY_URL in text
    assert text.count("K7Q2-9MXD") >= 2  # in the verification box and in the page footer


def test_qr_code_is_embedded_module_for_module(decision_pdf):
    (image,) = _images(decision_pdf)
    pixels = image.image.convert("L")
    width, height = pixels.size
    drawn = [[pixels.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]
    expected = [
        [bool(dark) for dark in row] for row in segno.make(VERIFY_URL, error="m").matrix_iter(border=4)
    ]
    assert drawn == expected
    # No smoothing between modules when the printer scales the image up.
    assert image.indirect_reference.get_object()["/Interpolate"] == pypdf.generic.BooleanObject(False)


def test_template_cannot_make_the_server_fetch_a_url(caplog):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        source = f"""{{% extends "core/pdf_base.html" %}}
        {{% block body %}}<p>Xin chào</p>
        <style>@import url("http://127.0.0.1:{port}/import.css");</style>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/link.css">
        <img src="http://127.0.0.1:{port}/pixel.png" alt="">
        <img src="https://127.0.0.1:{port}/pixel.png" alt="">{{% endblock %}}"""
        with caplog.at_level(logging.WARNING, logger="ansinh.core.pdf"):
            pdf = render_pdf(_template(source), {})
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected, not even once
    assert "Xin chào" in _text(pdf)
    assert sum("refused to fetch" in record.getMessage() for record in caplog.records) == 4


def test_local_files_outside_the_static_dirs_are_refused(tmp_path):
    png = tmp_path / "qr.png"
    segno.make("x").save(png)
    outside = f'<img src="{png.as_uri()}" alt="">'
    inline = f'<img src="{segno.make("x").png_data_uri()}" alt="">'
    base = '{% extends "core/pdf_base.html" %}{% block body %}BODY{% endblock %}'
    assert _images(render_pdf(_template(base.replace("BODY", outside)), {})) == []
    assert len(_images(render_pdf(_template(base.replace("BODY", inline)), {}))) == 1


def test_static_files_are_read_from_disk(caplog):
    source = """{% extends "core/pdf_base.html" %}{% load static %}
    {% block body %}<img src="{% static 'web/icon.svg' %}" alt="" style="width: 10mm">{% endblock %}"""
    with caplog.at_level(logging.WARNING, logger="ansinh.core.pdf"):
        render_pdf(_template(source), {})
    assert not [record for record in caplog.records if "refused" in record.getMessage()]


def test_a_template_name_renders_too():
    pdf = render_pdf("core/pdf_base.html", {"issuer_name": "Cục Việc làm"})
    assert pdf.startswith(b"%PDF-")
    assert "CỤC VIỆC LÀM" in _text(pdf)


def test_every_page_carries_the_verification_code_and_page_number():
    long_body = "<p>Điều khoản của quyết định.</p>" * 150
    source = '{% extends "core/pdf_base.html" %}{% block body %}' + long_body + "{% endblock %}"
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(_template(source), _context())))
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert "K7Q2-9MXD" in text
        assert f"{number} / {pages}" in text
