"""The VAPID key: made on first use (EC P-256, PEM, 0600), read from the configured file after that."""

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ansinh.notify import vapid
from tests.notify.support import b64url, b64url_decode


def test_key_is_created_on_first_use_private_to_the_owner(settings, tmp_path):
    path = tmp_path / "keys" / "vapid.pem"
    settings.WEBPUSH_VAPID_PRIVATE_KEY_FILE = path
    public = vapid.public_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    raw = b64url_decode(public)
    assert len(raw) == 65
    assert raw[0] == 4  # an uncompressed point
    assert "=" not in public
    assert vapid.public_key() == public


def test_a_configured_key_is_used(settings, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "configured.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.WEBPUSH_VAPID_PRIVATE_KEY_FILE = path
    expected = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert vapid.public_key() == b64url(expected)


def test_a_key_of_the_wrong_kind_is_refused(settings, tmp_path):
    path = tmp_path / "wrong.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.WEBPUSH_VAPID_PRIVATE_KEY_FILE = path
    with pytest.raises(ValueError):
        vapid.public_key()
