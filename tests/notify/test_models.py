"""What the tables themselves guarantee, and how addresses are shown."""

import pytest
from django.db import IntegrityError

from ansinh.notify.models import Delivery, Message, mask_address
from tests.factories import PersonFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("both", [True, False])
def test_a_message_has_exactly_one_recipient(both):
    recipients = {"recipient_user": UserFactory(), "recipient_person": PersonFactory()} if both else {}
    with pytest.raises(IntegrityError):
        Message.objects.create(template="notify.generic", language="vi", subject="s", body="b", **recipients)


@pytest.mark.parametrize(
    ("channel", "address", "shown"),
    [
        ("email", "nguyen.van.an@example.vn", "n***@example.vn"),
        ("sms", "+84912345678", "+84***678"),
        ("sms", "12345", "***"),
        ("push", "https://fcm.googleapis.com/fcm/send/secret-token", "fcm.googleapis.com/…"),
    ],
)
def test_addresses_are_masked_when_shown(channel, address, shown):
    assert mask_address(channel, address) == shown
    assert Delivery(channel=channel, address=address).masked_address == shown
    assert address not in str(Delivery(channel=channel, address=address))
