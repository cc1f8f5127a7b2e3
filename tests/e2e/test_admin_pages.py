"""Issue 22, the admin pages of harvesting in the officer's language: the harvest list
(count, facet labels, last-run status), the job list (counts in words, times dd/mm/yyyy in
Asia/Ho_Chi_Minh), the source form, and one URL scheme for a department's pages."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from zoneinfo import ZoneInfo

import requests

from . import declared

SOURCE = "so-y-te-api"


def _get(session, portal, path):
    page = session.get(f"{portal.url}{path}", timeout=60)
    assert page.status_code == 200, path
    return page.text


def test_harvest_list_speaks_vietnamese_and_shows_the_last_run(portal):
    session = portal.login()
    page = _get(session, portal, "/harvest")
    found = re.search(r"Tìm thấy (\d+) nguồn thu thập", page)
    assert found and int(found.group(1)) >= len(declared.sources()), page[:2000]
    count = found.group(1)
    assert "harvests found" not in page
    # facet items by their names, not ckanext-harvest's codes
    assert "Hằng tuần" in page and ">WEEKLY<" not in page
    assert "smartcity_api" not in re.sub(r'href="[^"]*"', "", page)
    assert "API REST/JSON của sở, ngành" in page
    rows = re.findall(r'<li class="dataset-item" data-source="([^"]+)">(.*?)</li>', page, re.S)
    assert {name for name, _ in rows} >= set(declared.sources())
    for name, row in rows:
        assert "Lần chạy gần nhất" in row, name
        assert re.search(r'data-status="(Finished|Running|New|Aborted)"', row), name
    english = _get(session, portal, "/en/harvest")
    assert re.search(rf"{count} harvests? (sources? )?found", english)
    assert "Weekly" in english and "Last run" in english


def test_job_list_counts_in_words_and_local_times(portal):
    session = portal.login()
    page = _get(session, portal, f"/harvest/{SOURCE}/job")
    shown = re.sub(r"<[^>]+>", " ", page)  # the text, not the attributes' codes
    assert "không đổi" in shown and "not modified" not in shown
    source_id = portal.action("harvest_source_show", {"id": SOURCE})["id"]
    job = portal.action("harvest_source_show_status", {"id": source_id})["last_job"]
    started = dt.datetime.fromisoformat(job["gather_started"]).replace(
        tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert started.strftime("%H:%M %d/%m/%Y") in page
    assert "automatic-local-datetime" not in page or "portal-dates.js" in page
    assert not re.search(r"tháng \d+ \d+, \d{4}", page)


def test_source_form_in_vietnamese_with_a_json_editor(portal):
    session = portal.login()
    page = _get(session, portal, f"/harvest/edit/{SOURCE}")
    assert "Loại nguồn" in page and ">Source type<" not in page
    for vi in ("Thủ công", "Hằng tuần", "Hằng tháng"):
        assert f">{vi}<" in page.replace("\n", ""), vi
    assert "postgresql://" in page and "http:// hoặc https://" not in page
    area = re.search(r'<textarea id="field-config"[^>]*>(.*?)</textarea>', page, re.S)
    assert area and "smartcity-config-editor" in area.group(0)
    text = html.unescape(area.group(1))
    stored = portal.action("harvest_source_show", {"id": SOURCE})["config"]
    assert json.loads(text) == json.loads(stored) and "\n  " in text
    organisations = re.search(r'<select id="field-organizations".*?</select>', page, re.S)
    assert organisations and ">Sở Y tế" in organisations.group(0)
    assert ">so-y-te<" not in organisations.group(0)


def test_a_departments_pages_share_one_url_scheme(portal):
    session = portal.login()
    report = session.get(f"{portal.url}/organization/so-y-te/harvest-report", timeout=60)
    assert report.status_code == 200
    quality = session.get(f"{portal.url}/organization/so-y-te/quality", timeout=60)
    assert quality.status_code == 200
    old = session.get(f"{portal.url}/department/so-y-te/harvest-report", timeout=60,
                      allow_redirects=False)
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/organization/so-y-te/harvest-report")
    assert "/department/" not in _get(session, portal, "/organization/so-y-te")
    assert requests.get(f"{portal.url}/organization/so-y-te/harvest-report",
                        timeout=60).status_code == 403
