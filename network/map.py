"""The network map, drawn server-side as SVG: member countries filled by region, offices as markers.

No tiles and no script library: country outlines come from the Natural Earth file shipped with the
app, projected equirectangularly. Outlines are projected once per process; colours and markers are
computed per request from the rows the user may see.
"""

from __future__ import annotations

from functools import cache

from core.permissions import Action
from network.geo import world_countries
from network.models import Member, Office, OfficeKind, Region

WIDTH, HEIGHT = 1000, 470
NORTH, SOUTH = 84.0, -57.0
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442"]
NON_MEMBER_FILL = "#e5e7eb"


def project(longitude: float, latitude: float) -> tuple[float, float]:
    x = (longitude + 180.0) * WIDTH / 360.0
    y = (NORTH - max(min(latitude, NORTH), SOUTH)) * HEIGHT / (NORTH - SOUTH)
    return round(x, 1), round(y, 1)


def _ring_path(ring: list[list[float]]) -> str:
    """An SVG path for one outline; a jump across the antimeridian starts a new sub-path."""
    parts, previous = [], None
    for lon, lat in ring:
        x, y = project(lon, lat)
        command = "M" if previous is None or abs(lon - previous) > 180 else "L"
        parts.append(f"{command}{x},{y}")
        previous = lon
    return "".join(parts) + "Z"


@cache
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(iso3, name, SVG path) for every country outline, computed once per process."""
    return tuple(
        (country["iso3"], country["name"], "".join(_ring_path(ring) for ring in country["rings"]))
        for country in world_countries()
    )


def region_colours(regions) -> dict[int, str]:
    ordered = sorted(regions, key=lambda region: region.code)
    return {region.pk: PALETTE[index % len(PALETTE)] for index, region in enumerate(ordered)}


def network_map(user, *, region: Region | None = None) -> dict:
    """Everything the map template draws, inside the user's scope."""
    regions = list(Region.objects.restrict(user, Action.VIEW))
    colours = region_colours(regions)
    members = Member.objects.restrict(user, Action.VIEW).select_related("region")
    offices = Office.objects.restrict(user, Action.VIEW).filter(latitude__isnull=False)
    if region is not None:
        members = members.filter(region=region)
        offices = offices.filter(region=region)
    members_by_iso3 = {member.iso_alpha3: member for member in members if member.iso_alpha3}

    countries, drawn = [], set()
    for iso3, name, path in country_paths():
        member = members_by_iso3.get(iso3)
        if member is not None:
            drawn.add(iso3)
        countries.append(
            {
                "path": path,
                "fill": colours.get(member.region_id, NON_MEMBER_FILL) if member else NON_MEMBER_FILL,
                "title": f"{member.label} — {member.region.label}" if member else name,
                "url": member.get_absolute_url() if member else "",
            }
        )
    markers = []
    for office in offices.order_by("-kind"):
        x, y = project(office.longitude, office.latitude)
        markers.append(
            {
                "x": x,
                "y": y,
                "office": office,
                "kind": office.kind,
                "fill": colours.get(office.region_id, "#111827"),
                "radius": {OfficeKind.ROCB: 7, OfficeKind.RTC: 4.5}.get(office.kind, 8),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "countries": countries,
        "markers": markers,
        "legend": [(region, colours[region.pk]) for region in regions],
        "not_drawn": sorted(
            (member for iso3, member in members_by_iso3.items() if iso3 not in drawn), key=lambda m: m.label
        ),
    }
