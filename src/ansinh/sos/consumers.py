"""The operators' console over a websocket: every desk event, numbered, in order, none missed.

The client sends {"type": "resume", "after": N} (its last sequence number; 0 on first load after the page
rendered the queue at that number). The consumer replays the events after N from the table, then forwards
live ones. A consumer handles one message at a time, so live events wait while it replays; any event at or
below what it already sent is dropped, and a jump in the numbers (another process committed first, its
message still on the way) is filled from the table, where the missing numbers are already committed."""

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.selectors import has_permission, needs_two_factor
from ansinh.core import audit
from ansinh.sos.permissions import SOS_HANDLE
from ansinh.sos.services.events import DESK_GROUP, event_message, events_after

REPLAY_LIMIT = 500


@database_sync_to_async
def _may_watch(user: Any, session: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not has_permission(user, SOS_HANDLE):
        return False
    if needs_two_factor(user) and not (session and session.get(SESSION_2FA_KEY)):
        return False
    # The stream carries every request's position: who watched it, and from when, is logged.
    audit.record(actor=user, action="sos.console_watch")
    return True


@database_sync_to_async
def _events_after(sequence: int, limit: int = REPLAY_LIMIT) -> list[dict[str, Any]]:
    return [event_message(e) for e in events_after(sequence, limit)]


class DeskConsumer(AsyncWebsocketConsumer):
    sent: int | None = None  # the last sequence sent; None until the client said where it is

    async def connect(self) -> None:
        if not await _may_watch(self.scope.get("user"), self.scope.get("session")):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(DESK_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(DESK_GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data or "{}")
            after = int(message.get("after", 0)) if message.get("type") == "resume" else None
        except (ValueError, TypeError, AttributeError):
            after = None
        if after is None or after < 0:
            await self.send(text_data=json.dumps({"type": "error", "code": "desk.bad_message"}))
            return
        self.sent = after
        await self._catch_up(None)

    async def _catch_up(self, upto: int | None) -> None:
        """Send what the table holds after `self.sent` (up to `upto`), in order, in pages."""
        assert self.sent is not None
        while upto is None or self.sent < upto:
            batch = await _events_after(self.sent)
            batch = [e for e in batch if upto is None or e["sequence"] <= upto]
            for event in batch:
                await self.send(text_data=json.dumps(event))
                self.sent = event["sequence"]
            if len(batch) < REPLAY_LIMIT:
                break
        if upto is None:
            await self.send(text_data=json.dumps({"type": "live", "sequence": self.sent}))

    async def desk_event(self, event: dict[str, Any]) -> None:
        if self.sent is None or event["sequence"] <= self.sent:
            return
        if event["sequence"] > self.sent + 1:
            await self._catch_up(event["sequence"] - 1)
        await self.send(text_data=json.dumps(event))
        self.sent = event["sequence"]
