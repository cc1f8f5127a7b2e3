"""The department report and its notifications, on real harvests of a real departmental
database, with a real SMTP sink on loopback."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mail_sink import MailSink

import ckan.model as model
from ckan.tests import factories, helpers

from .conftest import PLUGINS, make_source, run_job, spec, sql_config

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

VALUES = ("Nguyễn Văn Bình", "Trần Thị Cúc", "0905123456", "0912345678")
NOTIFY = "thongke.soyte@danang.gov.vn"


@pytest.fixture
def sink(tmp_path: Path, ckan_config: Any, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[MailSink]:
    """A real SMTP sink; CKAN's mailer points at it for the test."""
    server = MailSink(tmp_path / "mail")
    monkeypatch.setitem(ckan_config, "smtp.server", server.server)
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "portal@test.invalid")
    yield server
    server.stop()


@pytest.fixture
def people(org: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The department's admin and editor, another department's editor, a plain member."""
    admin = factories.User(name="syt-admin", email="admin.syt@danang.gov.vn")
    editor = factories.User(name="syt-editor", email="editor.syt@danang.gov.vn")
    member = factories.User(name="syt-member")
    outsider = factories.User(name="stc-editor")
    for user, capacity in ((admin, "admin"), (editor, "editor"), (member, "member")):
        helpers.call_action("organization_member_create", {"ignore_auth": True},
                            id=org["id"], username=user["name"], role=capacity)
    other = factories.Organization(name="so-tai-chinh", title="Sở Tài chính")
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id=other["id"], username=outsider["name"], role="editor")
    return {"admin": admin, "editor": editor, "member": member, "outsider": outsider}


def _source(sysadmin, org, department, **config: Any) -> dict[str, Any]:
    specs = (spec("co-so-y-te", "co_so_y_te"), spec("giuong-benh", "giuong_benh"),
             spec("benh-nhan", "benh_nhan"), spec("bang-mat", "khong_co_bang_nay"))
    return make_source(sysadmin, org, department.url, sql_config(*specs, **config))


def _report(user: str | None, org: dict[str, Any]) -> dict[str, Any]:
    context = {"user": user, "ignore_auth": False}
    return helpers.call_action("smartcity_department_report", context, id=org["name"])


def test_report_after_published_unchanged_refused_and_failed(sysadmin, org, department,
                                                             people):
    source = _source(sysadmin, org, department)
    first = run_job(source["id"])
    assert first["stats"]["added"] == 2
    department.execute("UPDATE co_so_y_te SET so_co_so = so_co_so + 10")
    run_job(source["id"])

    report = _report(sysadmin["name"], org)
    assert report["department"] == {"id": org["id"], "name": "so-y-te", "title": "Sở Y tế"}
    assert report["datasets"] == 2
    [entry] = report["sources"]
    assert (entry["name"], entry["source_type"]) == ("syt-db", "smartcity_sql")
    assert entry["last_job"]["status"] == "Finished"
    assert entry["last_job"]["stats"] == {"added": 0, "updated": 1, "not modified": 1,
                                          "deleted": 0, "errored": 2}
    assert entry["last_job"]["started"] <= entry["last_job"]["finished"]
    assert entry["last_success"] == entry["last_job"]["finished"]
    assert entry["stale"] is False  # a manual source promises no schedule
    [refused] = entry["refused"]
    assert refused["dataset"] == "benh-nhan"
    columns = {r["column"] for r in refused["reasons"]}
    assert {"ho_ten", "so_dien_thoai"} <= columns
    assert all(r["detector"].startswith(("name:", "value:")) for r in refused["reasons"])
    [failed] = entry["failed"]
    assert failed["dataset"] == "bang-mat" and "khong_co_bang_nay" in failed["message"]
    assert [h["stats"]["added"] for h in entry["history"]] == [0, 2]
    text = json.dumps(report, ensure_ascii=False)
    assert not any(value in text for value in VALUES)
    assert department.password not in text


def test_staleness_follows_the_frequency(sysadmin, org, department, people):
    source = _source(sysadmin, org, department)
    helpers.call_action("harvest_source_patch", {"user": sysadmin["name"]},
                        id=source["id"], frequency="WEEKLY")
    [entry] = _report(sysadmin["name"], org)["sources"]
    assert entry["last_job"] is None and entry["stale"] is True
    run_job(source["id"])
    [entry] = _report(sysadmin["name"], org)["sources"]
    assert entry["stale"] is False and entry["last_success"]


def test_who_may_read_the_report(sysadmin, org, people):
    import ckan.plugins.toolkit as tk

    assert _report(people["admin"]["name"], org)["department"]["name"] == "so-y-te"
    assert _report(people["editor"]["name"], org)["sources"] == []
    for user in (people["member"]["name"], people["outsider"]["name"], None):
        with pytest.raises(tk.NotAuthorized):
            _report(user, org)
    with pytest.raises(tk.ValidationError):
        helpers.call_action("smartcity_department_report", {"user": sysadmin["name"]})
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("smartcity_department_report", {"user": sysadmin["name"]},
                            id="khong-co-don-vi-nay")


def test_report_page_in_vietnamese_with_english(app, sysadmin, org, department, people):
    source = _source(sysadmin, org, department)
    run_job(source["id"])
    token = factories.APIToken(user=people["editor"]["name"])["token"]
    page = app.get(f"/organization/{org['name']}/harvest-report",
                   headers={"Authorization": token})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Báo cáo thu thập dữ liệu" in body and "Harvest report" in body
    assert "Bị từ chối vì dữ liệu cá nhân" in body and "benh-nhan" in body
    assert "ho_ten" in body and "bang-mat" in body
    assert not any(value in body for value in VALUES)
    org_page = app.get(f"/organization/{org['name']}", headers={"Authorization": token})
    assert f"/organization/{org['name']}/harvest-report" in org_page.get_data(as_text=True)
    harvest_list = app.get("/harvest/", headers={"Authorization": token})
    assert f"/organization/{org['name']}/harvest-report" in harvest_list.get_data(as_text=True)
    outsider = factories.APIToken(user=people["outsider"]["name"])["token"]
    assert app.get(f"/organization/{org['name']}/harvest-report",
                   headers={"Authorization": outsider}).status_code == 403
    assert app.get(f"/organization/{org['name']}/harvest-report").status_code == 403
    # one URL scheme for a department's pages: the former address redirects (old mails)
    moved = app.get(f"/department/{org['name']}/harvest-report", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/organization/{org['name']}/harvest-report")


def test_refusal_mails_admins_and_notify_once_a_day(sysadmin, org, department, people,
                                                    sink):
    source = _source(sysadmin, org, department, notify=[NOTIFY])
    run_job(source["id"])
    mails = sink.messages(expect=2)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == [
        "admin.syt@danang.gov.vn", NOTIFY]
    mail = mails[0]
    body = mail.get_content()
    assert "bị từ chối" in mail["Subject"] and "refused" in mail["Subject"]
    assert body.index("Kính gửi") < body.index("English") < body.index("Dear")
    for needle in ("CSDL Sở Y tế", "benh-nhan", "«ho_ten»", "name:", "bang-mat",
                   f"/organization/{org['name']}/harvest-report"):
        assert needle in body, needle
    raw = b"".join(f.read_bytes() for f in sink.folder.glob("*.eml")).decode("utf-8", "replace")
    for text in (body, raw, mail["Subject"]):
        assert not any(value in text for value in VALUES)
        assert department.password not in text

    run_job(source["id"])  # the same problem again: no second mail today
    assert len(sink.messages(expect=3, wait_s=1.0)) == 2

    department.execute("DROP TABLE giuong_benh")  # a new problem is mailed at once
    run_job(source["id"])
    mails = sink.messages(expect=4)
    assert len(mails) == 4 and "giuong-benh" in mails[-1].get_content()


def test_clean_job_sends_nothing(sysadmin, org, department, people, sink):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te", "co_so_y_te"), notify=[NOTIFY]))
    assert run_job(source["id"])["stats"]["added"] == 1
    assert sink.messages(expect=1, wait_s=1.0) == []
    assert model.Session.query(model.SystemInfo).filter(
        model.SystemInfo.key.like("smartcity_notified:%")).count() == 0
