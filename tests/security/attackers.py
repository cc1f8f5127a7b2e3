"""What the secrets and harvest-target attacker tests share: a loopback listener that
records what it receives, the attacker (an editor of another department, on the e2e
portal), the sources they create over the API and how a harvest job is run to its end.
Test modules import the fixtures (``listener``, ``attacker``) from here."""
from __future__ import annotations

import http.server
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator

import pytest

ATTACKER_ORG = "so-tai-chinh"


def api_source(name: str, port: int, variable: str | None) -> dict:
    """A ``smartcity_api`` source of the attacker's department towards 127.0.0.1:port,
    naming ``variable`` in ``token_env`` (none when None)."""
    config = {"timeout_s": 5, "max_retries": 0, "datasets": [
        {"name": f"{name}-data", "dataset_type": "enterprise", "title": "Dữ liệu",
         "path": "records", "columns": ["ma_xa"]}]}
    if variable:
        config["token_env"] = variable
    return {"name": name, "title": f"Nguồn {name}", "url": f"http://127.0.0.1:{port}/",
            "source_type": "smartcity_api", "owner_org": ATTACKER_ORG,
            "frequency": "MANUAL", "config": json.dumps(config)}


def run_job(portal, source_id: str, timeout: float = 240) -> dict:
    """One harvest job of the source, run by the portal's consumers; its report."""
    job = portal.action("harvest_job_create", {"source_id": source_id})
    deadline = time.monotonic() + timeout
    while portal.action("harvest_job_show", {"id": job["id"]})["status"] != "Finished":
        assert time.monotonic() < deadline, "the harvest job did not finish"
        portal.action("harvest_jobs_run", {"source_id": source_id})
        time.sleep(2)
    return portal.action("harvest_job_report", {"id": job["id"]})


class Recorder(http.server.ThreadingHTTPServer):
    """Answers every GET with an empty JSON list and keeps (path, headers) of each."""

    def __init__(self, port: int) -> None:
        self.received: list[tuple[str, dict[str, str]]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                recorder.received.append((self.path, dict(self.headers)))
                body = b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", port), Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@pytest.fixture
def listener() -> Iterator[Callable[[int], Recorder]]:
    """``listener(port)`` starts a recording listener on 127.0.0.1:port (0: any free)."""
    started: list[Recorder] = []

    def start(port: int = 0) -> Recorder:
        server = Recorder(port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def attacker(portal) -> str:
    """An editor of Sở Tài chính; returns their API token."""
    name = "ke-tan-cong-" + secrets.token_hex(3)
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": "At-" + secrets.token_urlsafe(12)})
    portal.action("organization_member_create", {"id": ATTACKER_ORG, "username": name,
                                                 "role": "editor"})
    return portal.action("api_token_create", {"user": name, "name": "attack"})["token"]
