"""The health department's API: bearer token enforced, offset pagination, loopback only."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from shutil import which

import pytest

from departments import health

DEMO = Path(__file__).resolve().parents[2] / "demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, token: str | None = None, scheme: str = "Bearer") -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"{scheme} {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_token_is_enforced(health_server):
    base, token = health_server
    url = f"{base}/api/v1/facilities"
    assert get(url)[0] == 401
    assert get(url, "sai-ma")[0] == 401
    assert get(url, token, scheme="Basic")[0] == 401
    assert get(url, token + "x")[0] == 401
    status, body = get(url, token)
    assert status == 200 and body["data"]["total"] == len(health.facilities())
    assert get(f"{base}/api/v1/cases/monthly")[0] == 401
    assert get(f"{base}/healthz") == (200, {"status": "ok"})


def test_offset_pagination_walks_every_row_once(health_server):
    base, token = health_server
    seen, offset, total = [], 0, None
    while True:
        status, body = get(f"{base}/api/v1/cases/monthly?offset={offset}&limit=1000", token)
        assert status == 200
        data = body["data"]
        total = data["total"]
        if not data["items"]:
            break
        seen.extend(data["items"])
        offset += len(data["items"])
    assert total == len(seen) == 93 * 12 * 22
    keys = {(r["thang"], r["ma_xa"], r["chuong_icd10"]) for r in seen}
    assert len(keys) == total
    assert seen == health.monthly_cases()


def test_filters_and_bad_parameters(health_server):
    base, token = health_server
    status, body = get(f"{base}/api/v1/cases/monthly?thang=2025-07&ma_xa=20242", token)
    assert status == 200 and body["data"]["total"] == 22
    assert get(f"{base}/api/v1/facilities?limit=abc", token)[0] == 400
    assert get(f"{base}/api/v1/facilities?limit=100000", token)[0] == 400
    assert get(f"{base}/api/v1/facilities?offset=-1", token)[0] == 400
    assert get(f"{base}/api/v1/nothing", token)[0] == 404


def test_cli_binds_loopback_and_refuses_to_start_without_token():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DN_SYT_API_TOKEN"}
    failed = subprocess.run([sys.executable, str(DEMO / "health_api.py"), "--port", str(port)],
                            env=env, capture_output=True, text=True, timeout=30)
    assert failed.returncode != 0 and "DN_SYT_API_TOKEN" in failed.stderr
    env["DN_SYT_API_TOKEN"] = "kiem-thu"
    proc = subprocess.Popen([sys.executable, str(DEMO / "health_api.py"), "--port", str(port),
                             "--token-env", "DN_SYT_API_TOKEN", "--quiet"], env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        if which("ss"):  # the local address of every listening socket on that port
            out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True,
                                 text=True).stdout
            assert [line.split()[3] for line in out.splitlines()] == [f"127.0.0.1:{port}"]
        assert get(f"http://127.0.0.1:{port}/api/v1/facilities?limit=1", "kiem-thu")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("path", ["/api/v1/facilities", "/api/v1/cases/monthly"])
def test_items_carry_commune_codes(health_server, path):
    base, token = health_server
    status, body = get(f"{base}{path}?limit=5", token)
    assert status == 200 and len(body["data"]["items"]) == 5
    assert all(len(item["ma_xa"]) == 5 for item in body["data"]["items"])
