"""Template filters shared by every app's pages: money in đồng."""

from django import template

from ansinh.core import money

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """Money the Vietnamese way: 4.800.000 đ (a no-break space keeps the sign with its figure)."""
    if amount is None:
        return "—"
    return money.vnd(amount)
