"""The template registry and rendering in the recipient's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ansinh.notify import templates
from ansinh.notify.templates import UnknownTemplate, register_template, render


@pytest.fixture
def registry(monkeypatch):
    """Templates registered by a test disappear after it."""
    monkeypatch.setattr(templates, "_REGISTRY", dict(templates._REGISTRY))


def test_generic_template_fills_subject_and_body():
    subject, body = render("notify.generic", {"subject": "Lịch hẹn", "body": "Ngày 12/03, 8 giờ."}, "vi")
    assert (subject, body) == ("Lịch hẹn", "Ngày 12/03, 8 giờ.")


def test_push_enabled_is_vietnamese_for_vi_and_english_for_en():
    vi_subject, vi_body = render("notify.push_enabled", {"when": "21/03/2026 10:00"}, "vi")
    en_subject, en_body = render("notify.push_enabled", {"when": "21/03/2026 10:00"}, "en")
    assert en_subject == "Notifications are on for a new device"
    assert en_body.startswith("On 21/03/2026 10:00, a new device started receiving")
    assert vi_subject == "Đã bật thông báo trên một thiết bị mới"
    assert "21/03/2026 10:00" in vi_body
    assert "thiết bị mới" in vi_body


def test_every_notify_template_has_a_vietnamese_text():
    for code in [c for c in templates.registered_codes() if c.startswith("notify.")]:
        template = templates.get_template(code)
        with translation.override("en"):
            english = (str(template.subject), str(template.body))
        with translation.override("vi"):
            vietnamese = (str(template.subject), str(template.body))
        if "{" in english[0] and english[0].strip("{}").isidentifier():
            continue  # pure placeholders (notify.generic): nothing to translate
        assert vietnamese != english, f"{code} has no Vietnamese text"


def test_render_translates_first_then_fills_placeholders(registry):
    # "Please sign in." is in the catalogue; the placeholder sits in the translated text.
    register_template("tests.sign_in", _("Please sign in."), _("{body}"))
    assert render("tests.sign_in", {"body": "x"}, "vi")[0] == "Vui lòng đăng nhập."
    assert render("tests.sign_in", {"body": "x"}, "en")[0] == "Please sign in."


def test_lazy_values_in_the_context_follow_the_recipient_language():
    subject, _body = render("notify.generic", {"subject": _("Please sign in."), "body": ""}, "vi")
    assert subject == "Vui lòng đăng nhập."


def test_rendering_does_not_change_the_active_language():
    with translation.override("en"):
        render("notify.generic", {"subject": "a", "body": "b"}, "vi")
        assert translation.get_language() == "en"


def test_unknown_language_falls_back_to_vietnamese(registry):
    register_template("tests.sign_in", _("Please sign in."), _("{body}"))
    assert render("tests.sign_in", {"body": ""}, "fr")[0] == "Vui lòng đăng nhập."
    assert render("tests.sign_in", {"body": ""}, "en-GB")[0] == "Please sign in."


def test_subject_is_one_line():
    subject, _body = render("notify.generic", {"subject": "Hai\r\ndòng", "body": ""}, "vi")
    assert subject == "Hai dòng"


def test_missing_placeholder_is_an_error_for_the_caller():
    with pytest.raises(KeyError):
        render("notify.generic", {"subject": "only the subject"}, "vi")


def test_unknown_code_is_an_error():
    with pytest.raises(UnknownTemplate):
        render("notify.nothing_like_this", {}, "vi")


def test_codes_are_namespaced_and_never_silently_reused(registry):
    with pytest.raises(ValueError):
        register_template("no_namespace", "a", "b")
    register_template("tests.once", "Subject", "Body")
    register_template("tests.once", "Subject", "Body")  # the same again: a module imported twice
    with pytest.raises(ValueError):
        register_template("tests.once", "Another subject", "Body")
