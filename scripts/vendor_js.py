"""Vendor the map and chart libraries from the npm registry into the extension's assets.

    python3 scripts/vendor_js.py        # needs the `npm` client; the output is committed

``npm pack`` fetches the exact versions below (the registry's integrity is checked by npm);
the built files and each package's licence are copied to
``ckanext/smartcity/explore/assets/vendor/<package>/``, which CKAN serves through webassets
(no CDN at run time), and ``VERSIONS`` records what was taken.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "ckanext/smartcity/explore/assets/vendor"
# package, version, files inside the package to copy (paths relative to package/)
PACKAGES: list[tuple[str, str, list[str]]] = [
    ("leaflet", "1.9.4", ["dist/leaflet.js", "dist/leaflet.css", "LICENSE",
                          "dist/images/layers.png", "dist/images/layers-2x.png",
                          "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png",
                          "dist/images/marker-shadow.png"]),
    ("chart.js", "4.4.8", ["dist/chart.umd.js", "LICENSE.md"]),
]


def main() -> int:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, files in PACKAGES:
            out = subprocess.run(["npm", "pack", "--json", f"{name}@{version}"], cwd=tmp,
                                 check=True, capture_output=True, text=True)
            info = json.loads(out.stdout)[0]
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(Path(tmp) / info["filename"]) as archive:
                for file in files:
                    member = archive.extractfile(f"package/{file}")
                    assert member is not None, f"{name}@{version} has no {file}"
                    dest = target / Path(file).relative_to("dist") if file.startswith(
                        "dist/") else target / file
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(member.read())
            lines.append(f"{name} {version} {info['integrity']}")
    (VENDOR / "VERSIONS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
