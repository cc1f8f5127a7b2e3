"""WSGI entry point for production servers (gunicorn, uWSGI): `config.wsgi:application`
with CKAN_INI naming the portal's ini file."""
from __future__ import annotations

import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
