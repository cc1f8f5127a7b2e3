"""What an end-to-end test holds: the running portal, reached only over HTTP (and the CLI
that an operator would type on the server).

`Portal` is what the session fixture `portal` yields (tests/e2e/conftest.py starts it).
"""
from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

CSRF = re.compile(r'name="_csrf_token"\s+value="([^"]+)"')


class ActionError(AssertionError):
    """An action API call that did not answer ``success: true``."""


@dataclass
class Portal:
    """The e2e portal: gunicorn serving config/wsgi.py on ``url``.

    :ivar url: base URL, e.g. ``http://127.0.0.1:41234`` (no trailing slash): gunicorn
    :ivar proxy_url: the same portal through nginx (config/nginx/: page cache, rate
        limits, web assets from disk), as `make demo` and production serve it
    :ivar admin: the sysadmin's user name; ``password`` its password (log in through the
        form with `login`), ``token`` one of its API tokens (for `action`)
    :ivar ini: the generated CKAN config (mode 600) for `cli`
    :ivar env: the environment the portal's processes run with (service URLs, the
        departmental credentials the harvest consumers need)
    :ivar sources: the harvest source names synced from harvesters/*.yaml
    :ivar logs: folder with web.log, gather-consumer.log, fetch-consumer.log, …
    :ivar mail: folder where the portal's SMTP sink writes every outgoing message (.eml)
    :ivar pids: folder with ``<name>.pid`` of each supervised process (web = gunicorn's
        master, gather-consumer, fetch-consumer, jobs-worker, smtp-sink), rewritten at
        every restart (scripts/supervisor.py)
    """

    url: str
    admin: str
    password: str
    token: str
    ini: Path
    env: dict[str, str]
    sources: list[str] = field(default_factory=list)
    logs: Path = Path(".")
    mail: Path = Path(".")
    pids: Path = Path(".")
    proxy_url: str = ""

    def session(self) -> requests.Session:
        """A fresh anonymous browser-like HTTP session (its own cookies)."""
        session = requests.Session()
        session.headers["User-Agent"] = "smartcity-e2e"
        return session

    def login(self, user: str | None = None, password: str | None = None,
              session: requests.Session | None = None) -> requests.Session:
        """A session logged in through the real login form (the sysadmin by default).

        :raises AssertionError: when the portal does not accept the credentials.
        """
        session = session or self.session()
        form = session.get(f"{self.url}/user/login", timeout=60)
        form.raise_for_status()
        token = CSRF.search(form.text)
        assert token, "the login form carries no CSRF token"
        answer = session.post(f"{self.url}/user/login", timeout=60, data={
            "login": user or self.admin, "password": password or self.password,
            "_csrf_token": token.group(1)})
        assert answer.status_code == 200, f"login answered HTTP {answer.status_code}"
        assert "/user/login" not in answer.url, f"login as {user or self.admin} refused"
        return session

    def action(self, name: str, data: dict[str, Any] | None = None, *,
               token: str | None = "", method: str = "POST", files: Any = None) -> Any:
        """Call the action API and return ``result``.

        ``token``: ``""`` (default) the sysadmin's token, ``None`` anonymous, else that
        API token. GET sends ``data`` as query parameters (lists repeated).

        :raises ActionError: with the HTTP status and the API's error.
        """
        answer = self.raw_action(name, data, token=token, method=method, files=files)
        body = answer.json()
        if answer.status_code != 200 or not body.get("success"):
            raise ActionError(f"{name}: HTTP {answer.status_code}: {body.get('error')}")
        return body["result"]

    def raw_action(self, name: str, data: dict[str, Any] | None = None, *,
                   token: str | None = "", method: str = "POST",
                   files: Any = None) -> requests.Response:
        """The action API's HTTP response, whatever its status."""
        headers = {}
        if token is not None:
            headers["Authorization"] = token or self.token
        url = f"{self.url}/api/3/action/{name}"
        if method == "GET":
            return requests.get(url, params=data or {}, headers=headers, timeout=120)
        if files:
            return requests.post(url, data=data or {}, files=files, headers=headers,
                                 timeout=120)
        return requests.post(url, json=data or {}, headers=headers, timeout=120)

    def settle_jobs(self, source_id: str, timeout: float = 300) -> None:
        """Run the source's unfinished harvest jobs (what the scheduler does) until none is
        New or Running, so a test starts from an idle source whatever earlier tests left."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = self.action("harvest_job_list", {"source_id": source_id})
            busy = [job["id"] for job in jobs if job["status"] in ("New", "Running")]
            if not busy:
                return
            if time.monotonic() > deadline:
                raise ActionError(f"jobs {busy} of source {source_id} not finished "
                                  f"after {timeout:.0f} s")
            self.action("harvest_jobs_run", {"source_id": source_id})
            time.sleep(2)

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """``ckan -c <e2e ini> ARGS`` as an operator runs it on the server (not checked)."""
        ckan = Path(self.env["SMARTCITY_E2E_VENV_BIN"]) / "ckan"
        return subprocess.run([str(ckan), "-c", str(self.ini), *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout)
