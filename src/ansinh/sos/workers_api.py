"""API of the workers-abroad service: workers."""

from ninja import Router

router = Router(tags=["sos"])
