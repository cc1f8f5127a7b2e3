#!/usr/bin/env python3
"""nginx in front of the portal's gunicorn, for `make demo` and the end-to-end tests.

    argv = proxy.prepare(state / "nginx", ini, env, listen="127.0.0.1:5000",
                         upstream="127.0.0.1:5001")
    supervisor.start("proxy", argv, env)     # nginx in the foreground, supervised

`prepare` renders the config from the CKAN config (`ckan smartcity proxy render`, templates
in config/nginx/) and checks it (`nginx -t`); the returned command runs nginx in the
foreground (``daemon off``), so the project's supervisor restarts it like gunicorn and
stops it with the rest. The Debian package `nginx` (with the Lua module) is installed by
scripts/services.py. Stdlib only.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class ProxyError(RuntimeError):
    """The proxy's config could not be rendered or is refused by nginx."""


def prepare(prefix: Path, ini: Path, env: dict[str, str], listen: str, upstream: str,
            ckan: Path | None = None) -> list[str]:
    """Render and check the config under ``prefix``; the command that runs nginx."""
    ckan = ckan or ROOT / ".venv" / "bin" / "ckan"
    prefix.mkdir(parents=True, exist_ok=True)
    res = subprocess.run([str(ckan), "-c", str(ini), "smartcity", "proxy", "render",
                          str(prefix), "--listen", listen, "--upstream", upstream],
                         env=env, capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        raise ProxyError(f"ckan smartcity proxy render failed: {(res.stdout + res.stderr)[-2000:]}")
    argv = [NGINX, "-p", str(prefix), "-e", str(prefix / "logs" / "error.log"),
            "-c", str(prefix / "nginx.conf")]
    check = subprocess.run(argv + ["-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise ProxyError(f"nginx refused the rendered config: {check.stderr[-2000:]}")
    return argv + ["-g", "daemon off;"]
