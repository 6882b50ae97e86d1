"""The card QR: signed, compact, verifiable without the database; forged, tampered and unknown-key QRs are
refused; keys rotate without breaking the cards already printed."""

import os
import stat
from datetime import date

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ansinh.welfare import card_signing as cs
from ansinh.welfare.card_errors import CardForged

NUMBER = cs.card_number_for(12345)


def _payload(**kw):
    values = {"number": NUMBER, "issue": 1, "issued_on": date(2026, 3, 15), "initials": "NTL"} | kw
    return cs.card_qr_payload(
        values["number"], values["issue"], values["issued_on"], initials=values["initials"]
    )


def test_card_numbers_are_12_digits_with_a_check_digit_and_unique():
    numbers = {cs.card_number_for(n) for n in range(1, 5001)}
    assert len(numbers) == 5000
    assert all(len(n) == 12 and n.isdigit() and cs.luhn_valid(n) for n in numbers)
    assert not cs.luhn_valid(NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10))
    # Neighbours do not get neighbouring numbers, and the number is not the person's id.
    assert abs(int(cs.card_number_for(2)) - int(cs.card_number_for(1))) > 1000
    with pytest.raises(ValueError):
        cs.card_number_for(0)


def test_initials_without_diacritics():
    assert cs.initials_of("Nguyễn Thị Lan") == "NTL"
    assert cs.initials_of("Đỗ Ánh Dương") == "DAD"
    assert cs.initials_of("Tôn Nữ Thị Minh Khai") == "TNTK"
    assert cs.display_number("270415839265") == "2704 1583 9265"


def test_payload_is_short_alphanumeric_and_verifies_offline():
    # No django_db mark: any database access in here would fail the test.
    payload = _payload()
    assert payload.startswith(f"ASC1.{NUMBER}.1.NTL.20260315.")
    assert len(payload) < 160
    # Only QR alphanumeric characters: the code stays small (version 6 at error level M).
    assert set(payload) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .$%*+-/:")
    qr = segno.make(payload, error="m")
    assert qr.mode == "alphanumeric"
    assert qr.version <= 7
    card = cs.card_qr_verify(payload)
    assert card == cs.VerifiedCard(NUMBER, 1, "NTL", date(2026, 3, 15), cs.current_key_id())


def test_scanner_noise_is_tolerated():
    payload = _payload()
    assert cs.card_qr_verify(f"  {payload.lower()}\r\n").number == NUMBER


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace(".1.NTL.", ".2.NTL."),  # an old issue made to look new
        lambda p: p.replace(NUMBER, cs.card_number_for(999)),  # someone else's number
        lambda p: p.replace(".NTL.", ".NVA."),
        lambda p: p.replace(".20260315.", ".20260316."),
        lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"),  # the signature itself
        lambda p: p[:-5],
        lambda p: "ASC2" + p[4:],
        lambda p: "",
        lambda p: "https://example.vn/" + p,
        lambda p: p + "." + "A" * 300,
        lambda p: p.replace(
            ".20260315.", ".\u0662\u0660\u0662\u0666\u0660\u0663\u0661\u0665."
        ),  # Arabic-Indic
    ],
    ids=[
        "issue",
        "number",
        "initials",
        "date",
        "signature",
        "cut",
        "version",
        "empty",
        "url",
        "long",
        "other-digits",
    ],
)
def test_a_tampered_payload_is_refused(tamper):
    with pytest.raises(CardForged) as caught:
        cs.card_qr_verify(tamper(_payload()))
    assert caught.value.code == "welfare.card_forged"


def test_a_qr_signed_with_another_key_is_refused():
    stranger = ec.generate_private_key(ec.SECP256R1())
    signed = f"ASC1.{NUMBER}.1.NTL.20260315.{cs.key_id_of(stranger.public_key())}"
    forged = _sign_with(stranger, signed)
    with pytest.raises(CardForged) as caught:
        cs.card_qr_verify(forged)
    assert caught.value.details["reason"] == "unknown_key"
    # Claiming our key id with the stranger's signature does not help either.
    ours = f"ASC1.{NUMBER}.1.NTL.20260315.{cs.current_key_id()}"
    with pytest.raises(CardForged) as caught:
        cs.card_qr_verify(_sign_with(stranger, ours))
    assert caught.value.details["reason"] == "signature"


def _sign_with(key, signed: str) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(key.sign(signed.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signed}.{cs._b32(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def test_keys_rotate_and_old_cards_still_verify(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "pki"
    old = _payload()
    old_kid = cs.current_key_id()
    new_kid = cs.rotate_card_key()
    assert new_kid != old_kid
    assert cs.card_qr_verify(old).key_id == old_kid
    assert cs.card_qr_verify(_payload()).key_id == new_kid
    jwks = cs.public_jwks()
    assert {key["kid"] for key in jwks["keys"]} == {old_kid, new_kid}
    assert all(key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256" for key in jwks["keys"])
    # Ops distrust a key by removing its public file: its cards stop verifying.
    (tmp_path / "pki" / "cards" / "public" / f"{old_kid}.pem").unlink()
    with pytest.raises(CardForged):
        cs.card_qr_verify(old)


def test_the_private_key_is_private(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "pki"
    _payload()
    key_file = tmp_path / "pki" / "cards" / "current.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)


def test_a_jwk_verifies_like_the_server(settings, tmp_path):
    """An offline verifier holding only the JWK set reaches the same verdict."""
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    settings.SIGNING_DIR = tmp_path / "pki"
    payload = _payload()
    jwk = cs.public_jwks()["keys"][0]

    def num(text):
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")

    public = ec.EllipticCurvePublicNumbers(num(jwk["x"]), num(jwk["y"]), ec.SECP256R1()).public_key()
    signed, signature = payload.rsplit(".", 1)
    raw = base64.b32decode(signature + "=" * (-len(signature) % 8))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))  # raises if not genuine


def test_the_key_directories_are_private(settings, tmp_path):
    settings.SIGNING_DIR = str(tmp_path / "fresh" / "pki")
    (tmp_path / "fresh").mkdir()
    cs.current_key_id()
    for directory in (tmp_path / "fresh" / "pki", tmp_path / "fresh" / "pki" / "cards"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
