"""WSGI entry point for production servers: `wsgi:application` (gunicorn with
config/gunicorn.conf.py, or uWSGI), with CKAN_INI naming the portal's ini file."""
from __future__ import annotations

import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

if not os.environ.get("CKAN_INI"):
    raise RuntimeError("CKAN_INI is not set: name the portal's ini file "
                       "(e.g. CKAN_INI=.demo/ckan.ini)")
application = make_app(load_config(os.environ["CKAN_INI"]))
