"""What the app does for nginx's page cache (config/nginx/page_cache.conf.tmpl).

nginx stores an anonymous page once and serves it to every anonymous visitor without a
cookie; such a visitor gets the page without the session cookie of the visitor it was
made for, so the CSRF token in its forms matches no session of theirs. The one POST form
on the cached pages an anonymous visitor uses is CKAN's language selector
(``/util/redirect``, which only redirects to a page of this site): it is exempted from
flask-wtf's check for anonymous visitors. A logged-in visitor's POST is still checked by
web_security.before_request, which calls ``csrf.protect()`` itself (no exemptions), and
a logged-in visitor is never served a cached page.
"""
from __future__ import annotations

from typing import Any

LANGUAGE_SWITCH = "ckan.views.util.internal_redirect"


def install(app: Any) -> Any:
    """IMiddleware: exempt the language switch from the anonymous CSRF check."""
    from ckan.config.middleware.flask_app import csrf

    csrf.exempt(LANGUAGE_SWITCH)
    return app
