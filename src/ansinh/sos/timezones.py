"""The worker's local time, for the worker card: the zone of their country nearest to where they are.

Zones come from the system's tz database (`zone.tab`, which lists each zone with its country and the
coordinates of its main city), the same database `zoneinfo` reads; without it, CLDR's list from Babel."""

import math
import zoneinfo
from functools import cache
from pathlib import Path

from babel.core import get_global


@cache
def _zone_table() -> dict[str, list[tuple[str, float, float]]]:
    table: dict[str, list[tuple[str, float, float]]] = {}
    for root in zoneinfo.TZPATH:
        path = Path(root) / "zone.tab"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            country, coordinates, name, *_ = line.split("\t")
            latitude, longitude = _iso6709(coordinates)
            table.setdefault(country, []).append((name, latitude, longitude))
        break
    return table


def _iso6709(text: str) -> tuple[float, float]:
    """'+3733+12658' or '+373300+1265800' (degrees, minutes[, seconds]) to decimal degrees."""
    split = max(text.rfind("+"), text.rfind("-"))
    return _degrees(text[:split]), _degrees(text[split:])


def _degrees(part: str) -> float:
    sign = -1 if part[0] == "-" else 1
    digits = part[1:]
    width = 2 if len(digits) in (4, 6) else 3  # latitude has 2 digits of degrees, longitude 3
    degrees = int(digits[:width])
    minutes = int(digits[width : width + 2])
    seconds = int(digits[width + 2 : width + 4] or 0)
    return sign * (degrees + minutes / 60 + seconds / 3600)


def zone_for(country: str, latitude: float | None = None, longitude: float | None = None) -> str | None:
    zones = _zone_table().get(country.upper())
    if not zones:
        names = [
            n for n in get_global("territory_zones").get(country.upper()) or [] if not n.startswith("Etc/")
        ]
        return names[0] if names else None
    if latitude is None or longitude is None or len(zones) == 1:
        return zones[0][0]

    def distance(zone: tuple[str, float, float]) -> float:
        _name, lat, lon = zone
        dlon = (lon - longitude) * math.cos(math.radians((lat + latitude) / 2))
        return (lat - latitude) ** 2 + dlon**2

    return min(zones, key=distance)[0]
