"""People's names found in the values on the real CLI (``ckan -c INI smartcity privacy-scan``)
and on an upload: refused naming column and detector, never a value; look-alikes pass."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

PEOPLE = ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Hữu Phước", "Phạm Ngọc Lan", "Huỳnh Tấn Đạt",
          "Võ Thị Thu Hà", "Đặng Minh Khoa", "Bùi Quốc Cường", "Tôn Nữ Minh Châu",
          "Lương Văn Tám", "Quách Thị Mỹ Linh", "Hồ Đức Vinh", "Ngô Gia Bảo", "Dương Thị Yến",
          "Lý Công Hải", "Phan Thanh Tùng", "Đỗ Thị Nga", "Mạc Văn Sơn", "Kiều Thị Loan",
          "Trịnh Xuân Nam"]
FEEDBACK = ["Đèn đường hỏng trên đường Nguyễn Văn Linh gần cầu Rồng"] * 10 + [
    "Bà Trần Thị Mai ở tổ 5 phản ánh đèn đường hỏng"] + [
    "Rác ùn ứ tại chợ Hàn, đường Trần Phú"] * 9


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def _scan(request, path: Path) -> subprocess.CompletedProcess:
    ini = request.config.getoption("--ckan-ini")
    ckan_cli = str(Path(sys.executable).with_name("ckan"))
    return subprocess.run([ckan_cli, "-c", ini, "smartcity", "privacy-scan", str(path)],
                          capture_output=True, text=True, timeout=300)


def _no_value(text: str) -> None:
    leaked = [p for p in PEOPLE + ["Trần Thị Mai"] if p in text]
    assert not leaked, f"{len(leaked)} name(s) in the output"


def test_cli_refuses_names_under_any_header_and_passes_look_alikes(request, tmp_path):
    for header in ("Người nhận", "cot_b"):
        path = _csv(tmp_path / "danh_sach.csv", ["STT", header, "So tien"],
                    [[i + 1, p, 500_000] for i, p in enumerate(PEOPLE)])
        done = _scan(request, path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert header in done.stdout and "value:person_name" in done.stdout
        _no_value(done.stdout + done.stderr)
    path = _csv(tmp_path / "phan_anh.csv", ["STT", "Nội dung phản ánh"],
                [[i + 1, t] for i, t in enumerate(FEEDBACK)])
    done = _scan(request, path)
    assert done.returncode == 1 and "value:name_in_text" in done.stdout, done.stdout
    _no_value(done.stdout + done.stderr)
    path = _csv(tmp_path / "duong.csv", ["cot_b", "Trường", "Đơn vị", "Số hộ"], [
        [s, t, o, 100 + i] for i, (s, t, o) in enumerate(zip(
            ["Nguyễn Văn Linh", "Trần Phú", "Lê Duẩn", "Võ Nguyên Giáp", "Bạch Đằng"] * 4,
            ["Trường THCS Nguyễn Huệ", "Trường THPT Phan Châu Trinh"] * 10,
            ["Công ty TNHH Sông Hàn", "Bệnh viện Đà Nẵng", "UBND phường Hải Châu",
             "Ngũ Hành Sơn"] * 5))])
    done = _scan(request, path)
    assert done.returncode == 0, done.stdout + done.stderr


def _dataset(org: dict) -> dict:
    return helpers.call_action(
        "package_create", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
        type="population", name="tro-cap-upload", title="Trợ cấp xã hội", owner_org=org["id"],
        update_frequency="annual", admin_units=["20194"], data_classification="open",
        personal_data="none", temporal_start="2025-07-01", temporal_end="2025-12-31")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_upload_of_a_beneficiary_list_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    dataset = _dataset(factories.Organization())
    user = {"user": factories.Sysadmin()["name"]}
    text = "STT,Người nhận,Số tiền\r\n" + "".join(
        f"{i + 1},{p},{500_000 + i}\r\n" for i, p in enumerate(PEOPLE))
    before = helpers.call_action("package_show", id=dataset["id"])
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("resource_create", user, package_id=dataset["id"], name="danh sách",
                            upload=FileStorage(io.BytesIO(text.encode("utf-8")),
                                               filename="nguoi_nhan.csv"))
    message = err.value.error_dict["upload"][0]
    assert "Người nhận" in message and "person_name" in message, message
    _no_value(message)
    after = helpers.call_action("package_show", id=dataset["id"])
    assert after["resources"] == [] and after["metadata_modified"] == before["metadata_modified"]
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")
def test_datastore_writes_with_names_are_refused_and_change_nothing():
    dataset = _dataset(factories.Organization())
    user = {"user": factories.Sysadmin()["name"]}
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="bảng", url="https://example.invalid/x",
                                   format="API")  # a page, not fetched
    fields = [{"id": "cot_b", "type": "text"}, {"id": "so_tien", "type": "int"}]
    names = [{"cot_b": p, "so_tien": 500_000 + i} for i, p in enumerate(PEOPLE)]
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                            force=True, fields=fields, records=names)
    text = str(err.value.error_dict)
    assert "cot_b" in text and "person_name" in text, text
    _no_value(text)
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    # look-alikes (streets named after people) are published; names upserted later are not
    streets = [{"cot_b": s, "so_tien": 1} for s in
               ["Nguyễn Văn Linh", "Trần Phú", "Lê Duẩn", "Võ Nguyên Giáp", "Bạch Đằng"] * 4]
    helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                        force=True, fields=fields, records=streets)
    feedback = [{"cot_b": t, "so_tien": 0} for t in FEEDBACK]
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("datastore_upsert", dict(user), resource_id=resource["id"],
                            force=True, method="insert", records=names + feedback)
    _no_value(str(err.value.error_dict))
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], limit=100)
    assert found["total"] == 20
    assert {r["cot_b"] for r in found["records"]} == {s["cot_b"] for s in streets}
