"""Websocket routes of every app."""

from django.urls import path

from ansinh.sos.consumers import DeskConsumer
from ansinh.web.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/sos/console", DeskConsumer.as_asgi()),
]
