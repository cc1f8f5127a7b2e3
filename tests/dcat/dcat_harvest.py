"""A real SQL harvest that publishes one dataset of each of the five types (shared by the
DCAT and quality tests; the fixtures it needs come from tests/harvesters/conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harvesters.conftest import DEFAULTS, PASSWORD_ENV, dataset, make_source, object_errors, run_job

ROOT = Path(__file__).resolve().parents[2]
#: The SEMIC DCAT-AP 3.0.0 shapes from ../shared/data (what federating portals validate
#: with); the copy the extension ships is compared with it in test_shacl.py.
SHARED_SHAPES = next((p for p in (base / "shared" / "data" / "dcat-ap" / "dcat-ap_3_shacl_shapes.ttl"
                      for base in (ROOT.parent, ROOT.parent.parent)) if p.exists()),
                     ROOT.parent / "shared" / "data" / "dcat-ap" / "dcat-ap_3_shacl_shapes.ttl")

TABLES = """
CREATE TABLE dan_so (ma_xa text, nam int, gioi_tinh text, so_nguoi int);
INSERT INTO dan_so VALUES ('20194', 2025, 'Nam', 1200), ('20194', 2025, 'Nữ', 1250),
    ('20197', 2025, 'Nam', 980), ('20197', 2025, 'Nữ', 1010);
CREATE TABLE su_dung_dat (ma_xa text, nam int, nhom_dat text, dien_tich_ha numeric);
INSERT INTO su_dung_dat VALUES ('20194', 2025, 'NNP', 120.5), ('20197', 2025, 'PNN', 80.25);
CREATE TABLE doanh_nghiep (ma_xa text, nam int, nganh text, so_doanh_nghiep int);
INSERT INTO doanh_nghiep VALUES ('20194', 2025, 'C', 40), ('20197', 2025, 'G', 65);
CREATE TABLE co_so_y_te_xa (ma_xa text, nam int, loai text, so_co_so int);
INSERT INTO co_so_y_te_xa VALUES ('20194', 2025, 'Trạm y tế', 12), ('20197', 2025, 'Trạm y tế', 15);
CREATE TABLE truong_hoc (ma_xa text, nam int, cap_hoc text, so_truong int);
INSERT INTO truong_hoc VALUES ('20194', 2025, 'Tiểu học', 14), ('20197', 2025, 'THCS', 11);
GRANT SELECT ON dan_so, su_dung_dat, doanh_nghiep, co_so_y_te_xa, truong_hoc TO {role};
"""

COMMON = {"notes": "Số liệu tổng hợp theo xã, phường.",
          "notes_en": "Aggregated figures by commune.",
          "tag_string": "thống kê,xã phường,statistics",
          "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
          "spatial_level": "commune", "contact_name": "Phòng Thống kê",
          "contact_email": "thongke@danang.gov.vn"}

#: One spec per dataset type: (name, type, table, title_en, domain fields).
SPECS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    ("dan-so-theo-xa", "population", "dan_so", "Population by commune",
     {"reference_date": "2025-12-31", "population_basis": "registered",
      "breakdowns": ["sex"]}),
    ("su-dung-dat-theo-xa", "land", "su_dung_dat", "Land use by commune",
     {"land_groups": ["agricultural"], "coordinate_system": "VN-2000"}),
    ("doanh-nghiep-theo-xa", "enterprise", "doanh_nghiep", "Enterprises by commune",
     {"vsic_sections": ["C", "G"], "enterprise_types": ["non_state"]}),
    ("co-so-y-te-xa", "health", "co_so_y_te_xa", "Health facilities by commune",
     {"facility_types": ["commune_health_station"], "indicator_kind": "facilities"}),
    ("truong-hoc-theo-xa", "education", "truong_hoc", "Schools by commune",
     {"education_levels": ["primary"], "school_year": "2024-2025", "ownership": ["public"]}),
]


def harvest_all_types(sysadmin: dict[str, Any], org: dict[str, Any], department: Any
                      ) -> dict[str, dict[str, Any]]:
    """Run one real SQL harvest that publishes a dataset of every type; {type: package}."""
    import sqlalchemy as sa

    role = sa.engine.make_url(department.url).username
    department.execute("DROP TABLE IF EXISTS dan_so, su_dung_dat, doanh_nghiep, "
                       "co_so_y_te_xa, truong_hoc")
    department.execute(TABLES.replace("{role}", role))
    specs = [{"name": name, "dataset_type": kind, "title": f"Bảng {table}",
              "query": f"SELECT * FROM {table}",
              "fields": {"title_en": title_en, **COMMON, **domain}}
             for name, kind, table, title_en, domain in SPECS]
    config = json.dumps({"password_env": PASSWORD_ENV, "defaults": DEFAULTS,
                         "datasets": specs}, ensure_ascii=False)
    source = make_source(sysadmin, org, department.url, config)
    job = run_job(source["id"])
    assert job["stats"]["added"] == len(SPECS), object_errors(job["id"])
    return {kind: dataset(name) for name, kind, *_ in SPECS}
