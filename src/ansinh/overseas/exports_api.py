"""Mounted at /api/v1/overseas."""

from ninja import Router

router = Router(tags=["overseas"])
