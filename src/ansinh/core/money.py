"""Money as people read it. Amounts are integer đồng everywhere (never float); these only format them."""


def vnd(amount: int) -> str:
    """4.800.000 đ: the short form of pages and messages (a no-break space keeps the sign with its figure)."""
    return f"{int(amount):,}".replace(",", ".") + "\u00a0đ"


def dong(amount: int) -> str:
    """4.800.000 đồng — the long form of official documents."""
    return f"{int(amount):,}".replace(",", ".") + " đồng"
