"""A websocket that answers through the channel layer: proves the realtime wiring end to end (the reply
travels out through the layer, Redis when configured, and back), and lets a client check its connection."""

import json
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer


class PingConsumer(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.send(
            self.channel_name, {"type": "ping.echo", "text": (text_data or "")[:200]}
        )

    async def ping_echo(self, event: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"type": "pong", "text": event["text"]}))
