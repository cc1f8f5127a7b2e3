"""``/metrics``: the portal's state in Prometheus' text format, for an operator's alerts.

Restricted: answered only when every address of the request (the connecting one and each
of ``X-Forwarded-For``, which nginx fills) is a loopback address, or with
``Authorization: Bearer <ckanext.smartcity.metrics.token>``; anyone else gets 403.

Per-request figures are counted in Redis (one pipelined write per request), so every
gunicorn worker and every node adds to the same counters:

* ``smartcity_http_requests_total{route, status}`` and the latency histogram
  ``smartcity_http_request_duration_seconds{route}`` by route class (:func:`route_class`);
* ``smartcity_search_cache_requests_total{result}`` and ``smartcity_search_cache_hit_ratio``
  (search_cache.py's ``hit``/``miss`` answers).

The rest is read when scraped: harvest jobs by source and outcome and the age of each
source's last successful job (ckanext-harvest's tables), the gather/fetch/jobs queue depths
(Redis), uploaded-table loads by state and privacy refusals of uploads by detector
(``task_status``, uploads/status.py), the DataStore database's size. A figure that cannot
be read (Redis or a database down) is left out and counted in
``smartcity_metrics_errors_total{source}``: the scrape still answers.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from typing import Any, Iterator

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from flask import Response, g, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily)

log = logging.getLogger(__name__)

BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_START = "smartcity_metrics_start"
_REFUSED = ("Chỉ đọc được từ máy chủ hoặc với mã truy cập / "
            "Readable from the server itself or with the metrics token only\n")


def _prefix() -> str:
    return f"smartcity:metrics:{tk.config.get('ckan.site_id') or 'default'}:"


def _redis() -> Any:
    from ckan.lib.redis import connect_to_redis
    return connect_to_redis()


def route_class() -> str:
    """The kind of page a request is for (few values: a label, not a URL)."""
    endpoint = request.endpoint or ""
    if endpoint == "smartcity_metrics":
        return "metrics"
    if endpoint.startswith("api.") or request.path.startswith("/api/"):
        return "api"
    if endpoint.endswith(".download") or "/download" in request.path:
        return "download"
    if endpoint in ("dataset.search", "search"):
        return "search"
    if endpoint.startswith(("dataset.", "resource.", "datatablesview.")):
        return "dataset"
    if endpoint.startswith(("organization.", "group.")):
        return "organization"
    if endpoint.startswith("user.") or endpoint.startswith("dashboard."):
        return "user"
    if endpoint.startswith(("harvest", "harvester", "source")):
        return "harvest"
    if endpoint.startswith(("webassets", "static")) or request.path.startswith("/webassets/"):
        return "static"
    if endpoint == "home.index":
        return "home"
    return "other"


def before_request() -> None:
    g.setdefault(_START, time.perf_counter())


def after_request(response: Any) -> Any:
    started = g.pop(_START, None)
    if started is None:
        return response
    elapsed = time.perf_counter() - started
    route = route_class()
    bucket = next((str(b) for b in BUCKETS if elapsed <= b), "+Inf")
    try:
        pipe = _redis().pipeline(transaction=False)
        pipe.hincrby(_prefix() + "requests", f"{route}|{response.status_code // 100}xx", 1)
        pipe.hincrby(_prefix() + "latency", f"{route}|{bucket}", 1)
        pipe.hincrbyfloat(_prefix() + "latency_sum", route, elapsed)
        cached = response.headers.get("X-Smartcity-Search-Cache")
        if cached in ("hit", "miss"):
            pipe.hincrby(_prefix() + "search_cache", cached, 1)
        pipe.execute()
    except Exception as err:  # noqa: BLE001 - counting never breaks a request
        log.debug("request not counted (%s)", type(err).__name__)
    return response


def _allowed() -> bool:
    from ckanext.smartcity import config as options

    token = options.metrics_token()
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:], token):
        return True
    addresses = [request.remote_addr or ""]
    addresses += [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")
                  if a.strip()]
    addresses += [request.headers.get("X-Real-IP", "").strip() or "127.0.0.1"]
    try:
        return all(ipaddress.ip_address(a).is_loopback for a in addresses)
    except ValueError:
        return False  # an address that is not one: refused (fail closed)


def view() -> Response:
    if not _allowed():
        return Response(_REFUSED, status=403, mimetype="text/plain")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())
    return Response(generate_latest(registry), mimetype="text/plain; version=0.0.4",
                    headers={"Cache-Control": "no-store"})


def install(app: Any) -> Any:
    """IMiddleware: the counting hooks and the ``/metrics`` route."""
    if hasattr(app, "before_request") and hasattr(app, "add_url_rule"):
        app.before_request(before_request)
        app.after_request(after_request)
        app.add_url_rule("/metrics", "smartcity_metrics", view)
    return app


class _Collector:
    """Reads every figure when scraped (see the module docstring)."""

    def __init__(self) -> None:
        self.errors: dict[str, int] = {}

    def collect(self) -> Iterator[Any]:
        for name, part in (("requests", self._requests), ("harvest", self._harvest),
                           ("queues", self._queues), ("uploads", self._uploads),
                           ("datastore", self._datastore)):
            try:
                yield from list(part())
            except Exception as err:  # noqa: BLE001 - one source down: the rest answers
                log.warning("metrics: %s not read (%s)", name, type(err).__name__)
                self.errors[name] = self.errors.get(name, 0) + 1
        errors = CounterMetricFamily("smartcity_metrics_errors", "Figures that could not be "
                                     "read in this scrape, by source", labels=["source"])
        for name, count in self.errors.items():
            errors.add_metric([name], count)
        yield errors

    def _requests(self) -> Iterator[Any]:
        client = _redis()
        counts = CounterMetricFamily("smartcity_http_requests", "Requests answered by the "
                                     "web app, by route class and status class",
                                     labels=["route", "status"])
        for field, value in sorted(client.hgetall(_prefix() + "requests").items()):
            route, status = field.decode().split("|", 1)
            counts.add_metric([route, status], int(value))
        yield counts
        latency = HistogramMetricFamily("smartcity_http_request_duration_seconds",
                                        "Time the web app took per request, by route class",
                                        labels=["route"])
        raw = {k.decode(): int(v) for k, v in client.hgetall(_prefix() + "latency").items()}
        sums = {k.decode(): float(v)
                for k, v in client.hgetall(_prefix() + "latency_sum").items()}
        for route in sorted({k.split("|", 1)[0] for k in raw}):
            total, buckets = 0, []
            for bound in [*map(str, BUCKETS), "+Inf"]:
                total += raw.get(f"{route}|{bound}", 0)
                buckets.append((bound, total))
            latency.add_metric([route], buckets, sums.get(route, 0.0))
        yield latency
        cache = {k.decode(): int(v)
                 for k, v in client.hgetall(_prefix() + "search_cache").items()}
        family = CounterMetricFamily("smartcity_search_cache_requests", "Anonymous API "
                                     "searches answered from the search cache or not",
                                     labels=["result"])
        for result in ("hit", "miss"):
            family.add_metric([result], cache.get(result, 0))
        yield family
        looked_up = cache.get("hit", 0) + cache.get("miss", 0)
        yield GaugeMetricFamily("smartcity_search_cache_hit_ratio", "Share of anonymous API "
                                "searches answered from the cache (0 before any)",
                                value=cache.get("hit", 0) / looked_up if looked_up else 0.0)

    def _harvest(self) -> Iterator[Any]:
        from ckan import model

        rows = model.Session.execute(sa.text("""
            SELECT p.name, j.status,
                   EXISTS (SELECT 1 FROM harvest_gather_error e WHERE e.harvest_job_id = j.id)
                   OR EXISTS (SELECT 1 FROM harvest_object o WHERE o.harvest_job_id = j.id
                              AND o.report_status = 'errored') AS failed,
                   EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - j.finished) AS age
              FROM harvest_job j JOIN harvest_source s ON s.id = j.source_id
              JOIN package p ON p.id = s.id""")).fetchall()
        model.Session.rollback()
        jobs: dict[tuple[str, str], int] = {}
        last_ok: dict[str, float] = {}
        for name, status, failed, age in rows:
            outcome = (("failed" if failed else "succeeded") if status == "Finished"
                       else str(status).lower())
            jobs[(name, outcome)] = jobs.get((name, outcome), 0) + 1
            if outcome == "succeeded" and age is not None:
                last_ok[name] = min(float(age), last_ok.get(name, float("inf")))
        family = GaugeMetricFamily("smartcity_harvest_jobs", "Harvest jobs on record, by "
                                   "source and outcome (succeeded, failed, new, running)",
                                   labels=["source", "outcome"])
        for (name, outcome), count in sorted(jobs.items()):
            family.add_metric([name, outcome], count)
        yield family
        age = GaugeMetricFamily("smartcity_harvest_last_success_age_seconds", "Seconds since "
                                "the last harvest job of the source that finished without "
                                "an error", labels=["source"])
        for name, seconds in sorted(last_ok.items()):
            age.add_metric([name], max(0.0, seconds))
        yield age

    def _queues(self) -> Iterator[Any]:
        from ckan.lib import jobs
        from ckanext.harvest import queue

        family = GaugeMetricFamily("smartcity_queue_depth", "Messages waiting in a queue",
                                   labels=["queue"])
        connection = queue.get_connection()
        family.add_metric(["gather"], connection.llen(queue.get_gather_queue_name()))
        family.add_metric(["fetch"], connection.llen(queue.get_fetch_queue_name()))
        family.add_metric(["jobs"], sum(q.count for q in jobs.get_all_queues()))
        yield family

    def _uploads(self) -> Iterator[Any]:
        from ckan import model

        from ckanext.smartcity.privacy.findings import BLOCK
        from ckanext.smartcity.uploads import status

        rows = model.Session.execute(sa.text(
            "SELECT state, value FROM task_status WHERE task_type = :type"),
            {"type": status.TASK_TYPE}).fetchall()
        model.Session.rollback()
        states = dict.fromkeys(status.STATES, 0)
        detectors: dict[str, int] = {}
        for state, value in rows:
            states[state] = states.get(state, 0) + 1
            if state != status.REFUSED:
                continue
            try:
                findings = (json.loads(value or "{}").get("privacy") or {}).get("findings")
            except ValueError:
                findings = None
            for finding in findings or []:
                if finding.get("action") == BLOCK:
                    name = str(finding.get("detector") or "unknown")
                    detectors[name] = detectors.get(name, 0) + 1
        family = GaugeMetricFamily("smartcity_upload_loads", "Uploaded tables by the state of "
                                   "their DataStore load", labels=["state"])
        for state, count in sorted(states.items()):
            family.add_metric([state], count)
        yield family
        refused = GaugeMetricFamily("smartcity_privacy_refusals", "Uploaded tables refused by "
                                    "the privacy guard, by detector (a table counts once per "
                                    "detector that blocked it)", labels=["detector"])
        for name, count in sorted(detectors.items()):
            refused.add_metric([name], count)
        yield refused

    def _datastore(self) -> Iterator[Any]:


        url = tk.config.get("ckan.datastore.write_url")
        if not url:
            return
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                size = conn.execute(sa.text(
                    "SELECT pg_database_size(current_database())")).scalar()
        finally:
            engine.dispose()
        yield GaugeMetricFamily("smartcity_datastore_bytes", "Size of the DataStore database",
                                value=float(size or 0))
