"""What every page and write of the portal holds, whatever a worker served before.

* **Content-Security-Policy** on every response (`CSP`): scripts, stylesheets, images,
  fonts, fetches and frames from the portal's own origin only; no inline script and no
  inline event handler (the few CKAN core templates that carry one are served without it:
  templates/ overrides and public/smartcity/csp-compat.js); `object-src 'none'`,
  `base-uri 'self'`, `frame-ancestors 'self'`, `form-action 'self'`. Inline *style
  attributes* stay allowed (`style-src-attr`): they cannot run script, and CKAN core,
  Leaflet and select2 write them.
* **CSRF for every cookie-authenticated write.** CKAN 2.12 exempts a view from flask-wtf's
  CSRF check by calling ``csrf.exempt(view)`` in ``ckan_before_request`` whenever the
  request was not identified by the session cookie (an API token header, or an anonymous
  visitor); the exemption is a module-level set, so it stays for every later request of
  that worker process. Here the check runs again, without exemptions, for every unsafe
  method of a request whose user comes from the session cookie; a foreign ``Origin`` is
  refused first. Requests authenticated by an ``Authorization`` header carry no ambient
  authority and are left to CKAN.
* **State-changing harvest routes are POST only** (ckanext-harvest serves refresh, clear,
  delete and job abort on GET): GET answers 405; the POST routes of delete and job abort
  are added here (`harvest_posts`), the admin page's buttons are forms with the token
  (templates/source/admin_base.html).
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from flask import Blueprint, Response, current_app, g, request

import ckan.plugins.toolkit as tk
from ckan.common import current_user

def _scheming_checkbox_style() -> str:
    """The hash of the one inline <style> element of a form this portal shows
    (ckanext-scheming's multiple_checkbox.html, static text): allowed by hash, not by
    'unsafe-inline'. Empty when scheming or the element is not there."""
    try:
        import ckanext.scheming
    except ImportError:
        return ""
    path = (Path(ckanext.scheming.__file__).parent
            / "templates/scheming/form_snippets/multiple_checkbox.html")
    found = re.search(r"<style>(.*?)</style>", path.read_text(encoding="utf-8"), re.S) \
        if path.is_file() else None
    if not found:
        return ""
    digest = base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()
    return f" 'sha256-{digest}'"


#: the policy sent on every response (one line; see the module docstring)
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'" + _scheming_checkbox_style(),
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: ckanext-harvest endpoints that change state: POST (with the CSRF token) only
HARVEST_STATE_CHANGING = frozenset({
    "harvester.refresh", "harvester.clear", "harvester.delete", "harvester.job_abort",
    "smartcity_harvest.delete", "smartcity_harvest.job_abort", "smartcity_harvest.clear",
})

_POST_ONLY = ("Thao tác này chỉ nhận yêu cầu POST kèm mã CSRF (nút trên trang quản trị "
              "nguồn) / This action accepts only a POST with a CSRF token (the button "
              "on the source's admin page)")
_FOREIGN = ("Yêu cầu ghi đến từ một trang khác ({origin}) bị từ chối / "
            "A write request coming from another site ({origin}) is refused")


def install(app: Any) -> Any:
    """IMiddleware: the hooks on CKAN's Flask app (they run after CKAN's own
    ``before_request`` and flask-wtf's check, which may have been skipped)."""
    if hasattr(app, "before_request") and hasattr(app, "after_request"):
        app.before_request(before_request)
        app.after_request(after_request)
    return app


def configure_cookies(config_: Any) -> None:
    """IConfigurer: on an https site the session and "remember me" cookies are `Secure`,
    whatever the ini says (fail closed); on http (the loopback demo) they cannot be."""
    if str(config_.get("ckan.site_url") or "").lower().startswith("https://"):
        config_["SESSION_COOKIE_SECURE"] = True
        config_["REMEMBER_COOKIE_SECURE"] = True


def _cookie_authenticated() -> bool:
    """The request's user comes from the session cookie (not from a token header)."""
    if g.get("login_via_auth_header"):
        return False
    return bool(current_user and current_user.is_authenticated)


def _own_origins() -> set[str]:
    own = {request.host_url.rstrip("/")}
    site = tk.config.get("ckan.site_url") or ""
    if site:
        parts = urlsplit(site)
        own.add(f"{parts.scheme}://{parts.netloc}")
    return own


def before_request() -> Response | None:
    if request.endpoint in HARVEST_STATE_CHANGING and request.method != "POST":
        answer = Response(_POST_ONLY + "\n", status=405, mimetype="text/plain")
        answer.headers["Allow"] = "POST"
        return answer
    if request.method not in UNSAFE_METHODS or not _cookie_authenticated():
        return None
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None  # CSRF protection turned off for the whole site (CKAN's option)
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin.rstrip("/") not in _own_origins():
        return tk.abort(403, _FOREIGN.format(origin=origin[:100]))
    if origin == "null":
        return tk.abort(403, _FOREIGN.format(origin="null"))
    from ckan.config.middleware.flask_app import csrf  # the app's CSRFProtect
    csrf.protect()  # raises CSRFError (400) without a valid token; no exemptions
    return None


def after_request(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


_DT_INLINE = re.compile(
    r"<script type=text/javascript>\s*const gdataDict = (?P<dict>.*?)\n"
    r"\s*const gresviewId = '(?P<view>[^'<]*)'\s*</script>", re.S)


def smartcity_csp_datatables(rendered: str) -> Markup:
    """datatables_view.html without its inline script: the data dictionary and the view id
    as a JSON data block (not run, the CSP allows it) read by public/smartcity/
    datatables-config.js, which sets the two globals DataTables' module expects."""
    def data_block(match: re.Match[str]) -> str:
        # `tojson` output is HTML-safe (<, >, &, ' escaped): it stays so inside the block
        return ('<script type="application/json" id="smartcity-datatables-config">'
                f'{{"dict": {match.group("dict").strip()}, '
                f'"view": "{match.group("view")}"}}</script>'
                f'<script src="{tk.h.url_for_static("/smartcity/datatables-config.js")}">'
                '</script>')
    out = _DT_INLINE.sub(data_block, str(rendered), count=1)
    return Markup(out.replace(' onclick="fitColText()"', ""))


_HANDLER = re.compile(r'\s+on[a-z]+="[^"]*"')


def smartcity_csp_strip_handlers(rendered: str) -> Markup:
    """A core template block without its inline event handler attributes (Chromium reports
    them to the CSP as soon as the page is parsed); public/smartcity/csp-compat.js does
    what they did. ``rendered`` is already escaped output: no quote sits inside a value."""
    return Markup(_HANDLER.sub("", str(rendered)))


# POST routes for the two state-changing harvest actions ckanext-harvest serves on GET only
harvest_posts = Blueprint("smartcity_harvest", __name__)


def _harvest_delete(id: str) -> Any:  # noqa: A002 - the route argument name
    from ckanext.harvest import utils
    return utils.delete_view(id)


def _harvest_clear(id: str) -> Any:  # noqa: A002
    """ckanext-harvest's clear, with a refusal (a job still running) flashed as its own
    bilingual sentence instead of ckanext-harvest's "An error occurred: [<dict>]"."""
    from ckanext.harvest import utils
    context = {"user": tk.current_user.name if tk.current_user else None}
    try:
        tk.get_action("harvest_source_clear")(context, {"id": id})
    except tk.ValidationError as err:
        messages = [m for values in err.error_dict.values()
                    for m in (values if isinstance(values, list) else [values])]
        tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.h.redirect_to("harvester.admin", id=id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return utils.clear_view(id)  # its own 404/403 pages
    tk.h.flash_success(tk._("Harvest source cleared"))
    return tk.h.redirect_to("harvester.admin", id=id)


def _harvest_job_abort(source: str, id: str) -> Any:  # noqa: A002
    from ckanext.harvest import utils
    return utils.job_abort_view(source, id)


harvest_posts.add_url_rule("/harvest/delete/<id>", view_func=_harvest_delete,
                           endpoint="delete", methods=["POST"])
harvest_posts.add_url_rule("/harvest/<id>/clear", view_func=_harvest_clear,
                           endpoint="clear", methods=["POST"])
harvest_posts.add_url_rule("/harvest/<source>/job/<id>/abort", view_func=_harvest_job_abort,
                           endpoint="job_abort", methods=["POST"])
