"""``demo/run_systems.py``: starts the health API in the background, writes systems.env,
reuses a healthy instance and stops only the process it started."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from departments.secrets_env import read_env, write_env

SCRIPT = Path(__file__).resolve().parents[2] / "demo" / "run_systems.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=60)


def test_start_status_reuse_stop(tmp_path: Path):
    state = tmp_path / ".demo"
    write_env(state / "secrets.env", {"DN_SYT_API_TOKEN": "kiem-thu-token"})
    started = run("start", "--state-dir", str(state))
    try:
        assert started.returncode == 0, started.stderr
        env = read_env(state / "systems.env")
        port = int(env["DN_SYT_API_PORT"])
        assert env["SMARTCITY_DEMO_DROPBOX"] == str((state / "dropbox").resolve())
        assert "TOKEN" not in (state / "systems.env").read_text()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/facilities?limit=1",
                                         headers={"Authorization": "Bearer kiem-thu-token"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        pid = int((state / "health_api.pid").read_text())
        assert run("status", "--state-dir", str(state)).returncode == 0
        again = run("start", "--state-dir", str(state))
        assert "already running" in again.stdout
        assert int((state / "health_api.pid").read_text()) == pid
    finally:
        stopped = run("stop", "--state-dir", str(state))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not (state / "health_api.pid").exists()
    assert not Path(f"/proc/{pid}").exists() or \
        Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    assert run("status", "--state-dir", str(state)).returncode == 1


def test_start_without_token_fails_clearly(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "DN_SYT_API_TOKEN"}
    result = subprocess.run([sys.executable, str(SCRIPT), "start", "--state-dir",
                             str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0 and "DN_SYT_API_TOKEN" in result.stderr
