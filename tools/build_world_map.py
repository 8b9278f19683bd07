"""Build network/data/world_110m.json from Natural Earth 110m countries.

Run once by a maintainer, not at run time. Inputs:
  - countries-110m.json from the npm package world-atlas 2.0.2 (Natural Earth, public domain);
  - pycountry, to turn the ISO 3166 numeric ids into alpha-3 codes.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install pycountry
    python tools/build_world_map.py package/countries-110m.json network/data/world_110m.json

The output keeps, per country, its alpha-3 code, its name and its rings as [lon, lat] pairs
rounded to 0.1 degree, which is all the server-side SVG map needs.
"""

import json
import sys

import pycountry

# Not in ISO 3166, but the WCO (and members.csv) use the user-assigned code.
USER_ASSIGNED = {"Kosovo": "XKX"}


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return [[round(lon, 1), round(lat, 1)] for lon, lat in points]


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def main(source, target):
    topology = json.load(open(source, encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id", ""))
        rings = [ring_points(ring, arcs) for polygon in polygons(geometry) for ring in polygon[:1]]
        countries.append(
            {
                "iso3": country.alpha_3 if country else USER_ASSIGNED.get(geometry["properties"]["name"], ""),
                "name": geometry["properties"]["name"],
                "rings": rings,
            }
        )
    with open(target, "w", encoding="utf-8") as out:
        json.dump(
            {"source": "Natural Earth 110m via world-atlas 2.0.2", "countries": countries},
            out,
            separators=(",", ":"),
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
