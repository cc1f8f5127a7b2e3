"""Publish the demo's uploaded table as a department officer would, over the portal's API.

    SMARTCITY_DEMO_TOKEN=… python demo/upload_example.py --url http://127.0.0.1:5000

Creates (once) the population dataset ``ho-ngheo-theo-xa-2025`` of the city Statistics
Office and uploads ``demo/uploads/ho_ngheo_theo_xa_2025.csv`` (synthetic figures for 12
communes, Vietnamese headers) with ``resource_create``, as the form does. The portal's
jobs worker then loads it into the DataStore (ckanext/smartcity/uploads/): dictionary
from the headers, small household counts suppressed (``count_columns``), a preview. The
token comes from the environment, never from the command line.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
TABLE = HERE / "uploads" / "ho_ngheo_theo_xa_2025.csv"
NAME = "ho-ngheo-theo-xa-2025"
COMMUNES = ["20194", "20197", "20200", "20209", "20242", "20257", "20260", "20263",
            "20275", "20285", "20305", "20308"]
DATASET = {
    "type": "population", "name": NAME, "owner_org": "thong-ke-thanh-pho",
    "title": "Hộ nghèo, hộ cận nghèo theo xã, phường năm 2025 (dữ liệu mẫu)",
    "title_en": "Poor and near-poor households by commune, 2025 (sample data)",
    "notes": "Số hộ, số hộ nghèo và cận nghèo của 12 xã, phường (số liệu tổng hợp giả lập "
             "cho bản trình diễn). Ô có dưới ngưỡng hộ được ẩn để bảo vệ dữ liệu cá nhân.",
    "notes_en": "Households, poor and near-poor households in 12 communes (synthetic "
                "aggregates for the demo). Counts below the threshold are hidden.",
    "license_id": "cc-by-4.0", "update_frequency": "annual", "spatial_level": "commune",
    "admin_units": COMMUNES, "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
    "data_classification": "open", "personal_data": "aggregated",
    "min_cell_size": 10, "count_columns": "Số hộ nghèo, Số hộ cận nghèo",
    "contact_name": "Chi cục Thống kê", "contact_email": "thongke@danang.gov.vn",
}


def action(url: str, token: str, name: str, **kw) -> requests.Response:
    return requests.post(f"{url}/api/3/action/{name}", headers={"Authorization": token},
                         timeout=120, **kw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the portal, e.g. http://127.0.0.1:5000")
    args = parser.parse_args()
    token = os.environ.get("SMARTCITY_DEMO_TOKEN", "").strip()
    if not token:
        print("SMARTCITY_DEMO_TOKEN is not set", file=sys.stderr)
        return 2
    shown = requests.get(f"{args.url}/api/3/action/package_show", params={"id": NAME},
                         headers={"Authorization": token}, timeout=60)
    if shown.status_code == 200 and shown.json()["result"].get("resources"):
        print(f"{NAME}: already published")
        return 0
    if shown.status_code != 200:
        created = action(args.url, token, "package_create", json=DATASET)
        if created.status_code != 200:
            print(f"package_create: {created.status_code} {created.text[:500]}", file=sys.stderr)
            return 1
    with open(TABLE, "rb") as stream:
        uploaded = action(args.url, token, "resource_create",
                          data={"package_id": NAME, "name": "Hộ nghèo theo xã 2025 (CSV)",
                                "format": "CSV"},
                          files={"upload": (TABLE.name, stream, "text/csv")})
    if uploaded.status_code != 200:
        print(f"resource_create: {uploaded.status_code} {uploaded.text[:500]}", file=sys.stderr)
        return 1
    print(f"{NAME}: uploaded {TABLE.name}; the jobs worker loads it into the DataStore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
