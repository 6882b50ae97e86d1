"""The demo's clock: run a piece of the demo as if it were a moment in the past.

The demo tells stories that happened over the past weeks through the real services; a service that reads
the clock (`django.utils.timezone.now`, and `localdate` through it) must see the story's moment, or a
benefit would be decided today for a claim approved a month ago. Only the demo loader uses this.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock

from django.utils import timezone


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    # In UTC, like the real `now`: what is stored and hashed (the audit chain) must read back the same.
    with mock.patch.object(timezone, "now", return_value=moment.astimezone(UTC)):
        yield
