"""API of the workers-abroad service: stats."""

from ninja import Router

router = Router(tags=["sos"])
