"""gunicorn settings of the portal's web app, one definition for every place it is served:
`make demo` (scripts/demo.py), the end-to-end tests (tests/e2e/) and production
(config/systemd/ckan-web.service).

    CKAN_INI=/etc/ckan/ckan.ini gunicorn -c config/gunicorn.conf.py --bind 127.0.0.1:5000

The app is `config/wsgi.py`. The address is given by the caller (`--bind`); the number of
workers by SMARTCITY_WEB_WORKERS (default 2: one request never waits for another, and both
fit in the demo machine's memory).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

chdir = os.path.dirname(os.path.abspath(__file__))
wsgi_app = "wsgi:application"
workers = int(os.environ.get("SMARTCITY_WEB_WORKERS", "2"))
# Each worker loads CKAN itself (no preload_app): CKAN opens database and Redis connections
# while it loads, and forked workers must not share those sockets.
timeout = 120  # a DataStore dump or a DCAT catalogue of a large table takes a while
graceful_timeout = 5  # Ctrl-C on the demo: in-flight requests get 5 s, then workers stop


def on_starting(server: object) -> None:
    """Build CKAN's web assets and JavaScript translations once, in the master, before any
    worker forks.

    Otherwise each worker builds them on its first page, and two workers creating the same
    folder under `ckan.storage_path` at once make one of those pages answer 500 (webassets
    creates its output folders without tolerating a concurrent creator)."""
    ckan = Path(sys.executable).with_name("ckan")
    subprocess.run([str(ckan), "-c", os.environ["CKAN_INI"], "asset", "build"], check=True,
                   stdout=subprocess.DEVNULL)
    # The strings of CKAN's JavaScript modules ("Add Filter", "Show more", the table
    # preview's buttons) come from /api/i18n/<lang>, which serves files only `ckan run` or
    # this command builds (from CKAN's and the portal's catalogues): without it every
    # JavaScript string stays English under gunicorn.
    subprocess.run([str(ckan), "-c", os.environ["CKAN_INI"], "translation", "js"],
                   check=True, stdout=subprocess.DEVNULL)
