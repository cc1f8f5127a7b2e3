"""Build the commune boundaries the map view ships (run once; the output is committed).

    .venv/bin/python scripts/build_boundaries.py [SOURCE] [--tolerance DEG] [--digits N]

Reads the full-resolution GeoJSON of the 94 current commune-level units of Đà Nẵng
(``../shared/data/admin-units/danang_communes_2025.geojson``, ≈ 3.9 MB) and writes
``ckanext/smartcity/explore/public/smartcity-explore/danang_communes_2025.geojson``.

Decisions:
* ``shapely.coverage_simplify`` simplifies the communes as one coverage: a border shared
  by two communes is simplified once, so neighbours stay flush (no slivers or overlaps),
  which per-polygon simplification cannot promise.
* Every commune is kept; a part (island) that simplification would erase keeps its
  original ring, so the Hoàng Sa special zone and small islets do not disappear.
* Coordinates are rounded to 4 decimals (≈ 11 m), far below the tolerance.
* Only ``code`` is kept as a property: names come from the project's code list, so the
  map and the action share one definition of each unit's name.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("shared") / "data" / "admin-units" / "danang_communes_2025.geojson"
TOLERANCE = 0.0008  # degrees, ≈ 85 m
DIGITS = 4
TARGET = ROOT / "ckanext/smartcity/explore/public/smartcity-explore/danang_communes_2025.geojson"
ATTRIBUTION = ("Ranh giới xã, phường / Commune boundaries: vietnamese-provinces-database "
               "© 2021 Thang Le Quoc (MIT), từ / from diaphanhanhchinhcapxa_2025")


def find_source() -> Path | None:
    """The shared full-resolution file beside the checkout (or beside its worktree root)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / SHARED).is_file():
            return base / SHARED
    return None


def _round(coords, digits: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


def simplify(features: list[dict], tolerance: float) -> list:
    """The simplified geometries, in the order of ``features``; none empty."""
    originals = [shapely.make_valid(shape(f["geometry"])) for f in features]
    simplified = shapely.coverage_simplify(originals, tolerance)
    out = []
    for original, simple in zip(originals, simplified):
        simple = shapely.make_valid(simple)
        if simple.is_empty or simple.area < original.area * 0.5:
            simple = shapely.simplify(original, tolerance / 4, preserve_topology=True)
        out.append(simple)
    return out


def build(source: Path, target: Path, tolerance: float, digits: int) -> dict:
    """Write the simplified FeatureCollection; return size and vertex counts."""
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    geometries = simplify(features, tolerance)
    out_features = []
    for feature, geometry in zip(features, geometries):
        geo = mapping(geometry)
        out_features.append({"type": "Feature", "id": str(feature["id"]),
                             "properties": {"code": str(feature["id"])},
                             "geometry": {"type": geo["type"],
                                          "coordinates": _round(geo["coordinates"], digits)}})
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION,
                  "features": out_features}
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    return {"features": len(out_features), "bytes": len(text) + 1,
            "vertices_before": sum(len(shapely.get_coordinates(shape(f["geometry"])))
                                   for f in features),
            "vertices_after": sum(len(shapely.get_coordinates(g)) for g in geometries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=find_source())
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help="simplification tolerance in degrees (0.0008 ≈ 85 m)")
    parser.add_argument("--digits", type=int, default=DIGITS)
    args = parser.parse_args(argv)
    if args.source is None:
        parser.error("no source: pass the path of danang_communes_2025.geojson")
    print(json.dumps(build(args.source, args.target, args.tolerance, args.digits)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
