"""API of the workers-abroad service: desk."""

from ninja import Router

router = Router(tags=["sos"])
