"""scripts/services.py is idempotent: a second `up` reuses what runs and changes nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pids(state: Path) -> dict[str, str]:
    pg_pid = next(state.glob("pg/**/postmaster.pid")).read_text().split("\n", 1)[0]
    return {
        "postgres": pg_pid,
        "redis": (state / "redis" / "redis.pid").read_text().strip(),
        "solr": (state / "solr" / "solr.pid").read_text().strip(),
    }


def test_second_up_reuses_running_services():
    state = ROOT / ".test"
    before_env = (state / "services.env").read_text()
    before = _pids(state)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SMARTCITY_", "CKAN_"))}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "services.py"), "up",
                             "--profile", "test"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    for verb in ("creating", "starting", "installing", "initialising"):
        assert verb not in result.stdout, result.stdout
    assert _pids(state) == before
    # same ports and passwords: nothing was re-created
    assert (state / "services.env").read_text() == before_env
