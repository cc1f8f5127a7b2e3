"""Clearing or deleting a harvest source while its job is queued or running is refused
(409, Vietnamese and English, naming the source and the job) and no consumer dies
(issue 19, finding 6)."""
from __future__ import annotations

import os
import time

from e2e.portal import CSRF


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_clear_and_delete_of_a_busy_source_are_refused(portal):
    name = portal.sources[0]
    source = portal.action("harvest_source_show", {"id": name})
    fetch_pid = int((portal.pids / "fetch-consumer.pid").read_text())
    # an earlier test may have left a job of this source unfinished: then that one is busy
    # (a second create answers 409, never a 500)
    answer = portal.raw_action("harvest_job_create", {"source_id": source["id"]})
    if answer.status_code == 409:
        message = " ".join(answer.json()["error"]["source_id"])
        assert "chưa chạy xong" in message and "not finished" in message, message
        job = portal.action("harvest_source_show_status", {"id": source["id"]})["last_job"]
    else:
        assert answer.status_code == 200, answer.text[:300]
        job = answer.json()["result"]  # queued at once
    try:
        refusals = []
        for action, data in (("harvest_source_clear", {"id": source["id"]}),
                             ("harvest_source_delete", {"id": name}),
                             ("package_delete", {"id": source["id"]})):
            answer = portal.raw_action(action, data)
            assert answer.status_code == 409, (action, answer.status_code, answer.text[:300])
            refusals.append(answer.json()["error"]["id"][0])
        assert all(job["id"] in text and "/" in text for text in refusals), refusals
        # the source's admin page: no Clear form while the job is unfinished, and the
        # form's POST (sent anyway, as a stale page would) flashes the refusal as its own
        # sentence, not ckanext-harvest's "An error occurred: [<dict>]"
        browser = portal.login()
        page = browser.get(f"{portal.url}/harvest/admin/{name}", timeout=60)
        assert page.status_code == 200
        assert f"/harvest/{source['id']}/clear" not in page.text
        token = CSRF.search(page.text)
        assert token, "the admin page carries no CSRF token"
        answer = browser.post(f"{portal.url}/harvest/{source['id']}/clear", timeout=60,
                              data={"_csrf_token": token.group(1)})
        assert answer.status_code == 200, answer.status_code
        assert "An error occurred" not in answer.text
        assert job["id"] in answer.text and "cannot be cleared" in answer.text
        status = portal.action("harvest_job_show", {"id": job["id"]})["status"]
        words = {"New": ("đang chờ", "queued"), "Running": ("đang chạy", "running")}
        if status in words:
            assert all(word in refusals[0] for word in words[status]), refusals[0]
    finally:
        deadline = time.monotonic() + 300
        while portal.action("harvest_job_show", {"id": job["id"]})["status"] != "Finished":
            assert time.monotonic() < deadline, "the job did not finish"
            portal.action("harvest_jobs_run", {"source_id": source["id"]})
            time.sleep(2)
    assert portal.action("harvest_source_show", {"id": name})["state"] == "active"
    assert _alive(fetch_pid), "the fetch consumer survived"
