"""One crash never takes the portal down: every long-running process is restarted on
failure like systemd's ``Restart=on-failure`` (scripts/supervisor.py; issue 19, finding 6).
"""
from __future__ import annotations

import configparser
import os
import signal
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from supervisor import Supervisor  # noqa: E402


def _pid(portal, name: str) -> int | None:
    try:
        pid = int((portal.pids / f"{name}.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def _restarted(portal, name: str, old: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = _pid(portal, name)
        if pid and pid != old:
            return pid
        time.sleep(0.5)
    raise AssertionError(f"{name} was not restarted within {timeout:.0f} s: "
                         f"{(portal.logs / 'supervisor.log').read_text()[-1500:]}")


def _answers(portal, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{portal.url}/api/3/action/status_show", timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError(f"the portal does not answer after {timeout:.0f} s")


def test_a_killed_consumer_and_a_killed_web_master_come_back(portal):
    old = _pid(portal, "fetch-consumer")
    assert old, "the fetch consumer runs"
    os.kill(old, signal.SIGKILL)
    new = _restarted(portal, "fetch-consumer", old, 30)
    assert new != old

    web = _pid(portal, "web")
    assert web, "gunicorn's master runs"
    os.kill(web, signal.SIGKILL)
    _restarted(portal, "web", web, 60)
    _answers(portal, 180)
    assert portal.action("package_search", {"rows": 1}, token=None)["count"] > 0
    log = (portal.logs / "supervisor.log").read_text()
    assert f"fetch-consumer (pid {old}) exited with signal 9" in log
    assert f"web (pid {web}) exited with signal 9" in log


def test_restart_back_off_and_start_limit(tmp_path):
    """A process that always fails is restarted, then left stopped after `burst` starts
    within the interval; a clean exit is not restarted."""
    said: list[str] = []
    sup = Supervisor(tmp_path, burst=3, interval=60, backoff=(0.1, 0.2), say=said.append)
    sup.start("crasher", [sys.executable, "-c", "import sys; sys.exit(3)"], dict(os.environ))
    sup.start("clean", [sys.executable, "-c", "pass"], dict(os.environ))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "crasher" not in sup.failed():
        sup.poll()
        time.sleep(0.05)
    sup.poll()
    failed = sup.failed()
    assert "3 starts within 60 s, last exit status 3" in failed["crasher"]
    assert failed["clean"] == "exited with status 0"
    log = (tmp_path / "supervisor.log").read_text()
    assert log.count("crasher started") == 3
    assert "restart in 0.1 s" in log and "restart in 0.2 s" in log
    assert log.count("clean started") == 1
    sup.stop()


def test_production_units_restart_on_failure():
    for unit in ("ckan-web.service", "ckan-harvest-gather@.service",
                 "ckan-harvest-fetch@.service", "ckan-jobs-worker.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read(REPO / "config" / "systemd" / unit)
        assert parser["Service"]["Restart"] == "on-failure", unit
        assert float(parser["Service"]["RestartSec"]) > 0, unit
        assert int(parser["Unit"]["StartLimitBurst"]) >= 1, unit
