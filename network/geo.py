"""Country outlines for the network map, from the Natural Earth file shipped with the app."""

import json
from functools import cache
from pathlib import Path

WORLD_FILE = Path(__file__).resolve().parent / "data" / "world_110m.json"


@cache
def world_countries() -> list[dict]:
    """[{"iso3", "name", "rings": [[[lon, lat], ...], ...]}, ...], read once per process."""
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))["countries"]


def country_centre(iso3: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the middle of a country's largest outline, or None if not on the map."""
    for country in world_countries():
        if iso3 and country["iso3"] == iso3:
            ring = max(country["rings"], key=len)
            longitudes = [point[0] for point in ring]
            latitudes = [point[1] for point in ring]
            return (
                round((min(latitudes) + max(latitudes)) / 2, 2),
                round((min(longitudes) + max(longitudes)) / 2, 2),
            )
    return None
