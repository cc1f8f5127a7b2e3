"""The search cache: anonymous ``package_search`` answers of the action API, kept in Redis.

Researchers' and developers' searches repeat (the home page's facets, the same query
paged through, an app polling a department's datasets); each one costs a Solr query, the
parsing of every result's cached dict and the plugins' result hooks, and under load the
web workers, not Solr, are the bottleneck. So the body of a ``GET
/api/3/action/package_search`` answered to an anonymous request is kept for
``ckanext.smartcity.search_cache.ttl`` seconds and sent as it was to the next anonymous
request with the same URL and language.

What an answer may contain is what any anonymous visitor may see, so:

* only requests without a user are looked up or stored: no logged-in session, no API
  token (an ``Authorization`` or ``X-CKAN-API-Key`` header, valid or not), nothing but a
  plain ``GET`` without a JSONP ``callback``;
* the key holds the Solr **index version** of the moment (the searcher that answers;
  every commit of an index change moves it, whoever commits: a dataset form, a harvest's
  one commit per job, a bulk make-private, ``ckan search-index rebuild``) and the cache's
  **generation**, moved after the commit of every database transaction that touched a
  dataset, resource, organization, group, member or tag (``after_commit``): the
  titles of organizations and groups in the facets come from the database;
* both are read when the request starts, before Solr is asked, so an answer computed
  while a change commits is stored under the older key, which no later request uses;
* Redis or Solr failing means no cache (the request goes on to Solr), never an error.

The ttl only bounds Redis's memory (answers of superseded keys are never read again);
``ttl = 0`` turns the cache off.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import requests
import sqlalchemy as sa
from ckan import model

from ckanext.smartcity import config as options

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 2 * 1024 * 1024  # larger answers (rows=1000) are not kept
HEADER = "X-Smartcity-Search-Cache"  # hit | miss, on answers the cache looked up
#: objects whose change can change a search answer (results, facets, their labels)
_SEARCHED = (model.Package, model.Resource, model.Group, model.Member,
             model.PackageTag, model.Tag)
_DIRTY = "smartcity_search_dirty"
_KEY = "smartcity_search_cache_key"
_solr: requests.Session | None = None


def _ttl() -> int:
    return options.search_cache_ttl()


def _prefix() -> str:
    return f"smartcity:search:{tk.config.get('ckan.site_id') or 'default'}:"


def _redis() -> Any:
    from ckan.lib.redis import connect_to_redis
    return connect_to_redis()


def _index_version() -> str:
    """The version of the index Solr answers from (its current searcher)."""
    global _solr
    if _solr is None:
        _solr = requests.Session()
        user = tk.config.get("solr_user")
        if user:
            _solr.auth = (user, tk.config.get("solr_password") or "")
    answer = _solr.get(tk.config["solr_url"].rstrip("/") + "/admin/luke",
                       params={"show": "index", "numTerms": "0", "wt": "json"},
                       timeout=tk.asint(tk.config.get("solr_timeout", 60)))
    answer.raise_for_status()
    return str(answer.json()["index"]["version"])


def invalidate() -> None:
    """Move the generation: no answer stored before this call is served after it."""
    try:
        _redis().incr(_prefix() + "generation")
    except Exception as err:  # noqa: BLE001 - answers then age out with their ttl
        log.error("search cache generation not moved (%s); cached answers last at most "
                  "%s s", type(err).__name__, _ttl())


def _cacheable_request() -> bool:
    from ckan.common import current_user
    from flask import request

    if request.method != "GET" or request.endpoint != "api.action":
        return False
    if (request.view_args or {}).get("logic_function") != "package_search":
        return False
    if "callback" in request.args or request.headers.get("Authorization") \
            or request.headers.get("X-CKAN-API-Key"):
        return False
    return not getattr(current_user, "is_authenticated", True)


def before_request() -> Any:
    """Flask ``before_request``: the stored answer, or None (and the key remembered)."""
    if _ttl() <= 0:
        return None
    try:
        if not _cacheable_request():
            return None
        from flask import g, request

        from ckanext.smartcity.reference.labels import current_lang

        client = _redis()
        generation = client.get(_prefix() + "generation") or b"0"
        digest = hashlib.sha256(b"\n".join((
            current_lang().encode(), request.path.encode(),
            request.query_string))).hexdigest()
        key = f"{_prefix()}{generation.decode()}:{_index_version()}:{digest}"
        body = client.get(key)
    except Exception as err:  # noqa: BLE001 - fail open to Solr, never to an error
        log.warning("search cache not read (%s)", type(err).__name__)
        return None
    if body is None:
        g.setdefault(_KEY, key)
        return None
    from flask import Response
    return Response(body, status=200, content_type="application/json;charset=utf-8",
                    headers={HEADER: "hit"})


def after_request(response: Any) -> Any:
    """Flask ``after_request``: store a successful answer under the key of its start."""
    from flask import g

    key = g.pop(_KEY, None)
    if key is None or response.status_code != 200 or response.direct_passthrough:
        return response
    try:
        body = response.get_data()
        if len(body) <= MAX_BODY_BYTES:
            _redis().set(key, body, ex=_ttl())
        response.headers[HEADER] = "miss"
    except Exception as err:  # noqa: BLE001
        log.warning("search cache not written (%s)", type(err).__name__)
    return response


def install(app: Any) -> Any:
    """IMiddleware: register the two hooks on CKAN's Flask app (after CKAN's own
    ``before_request``, which identifies the user)."""
    if hasattr(app, "before_request") and hasattr(app, "after_request"):
        app.before_request(before_request)
        app.after_request(after_request)
    return app


@sa.event.listens_for(model.Session, "before_flush")
def _before_flush(session: Any, flush_context: Any, instances: Any) -> None:
    if any(isinstance(obj, _SEARCHED)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_DIRTY] = True


@sa.event.listens_for(model.Session, "after_commit")
def _after_commit(session: Any) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT: the outer transaction may still roll back
    if session.info.pop(_DIRTY, False):
        invalidate()


@sa.event.listens_for(model.Session, "after_soft_rollback")
def _after_rollback(session: Any, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_DIRTY, None)
