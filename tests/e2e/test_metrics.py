"""/metrics on the running portal (ckanext/smartcity/ops/metrics.py): Prometheus text with
the harvests the session ran, the queues, the DataStore size and the requests counted by
route class — readable from loopback only (an address that is not loopback in the
forwarding chain, or a wrong token, is refused)."""
from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families


def _samples(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out.setdefault(sample.name, []).append(sample)
    return out


def _value(samples, name, **labels) -> float:
    found = [s.value for s in samples.get(name, [])
             if all(s.labels.get(k) == v for k, v in labels.items())]
    assert found, f"{name}{labels} missing"
    return found[0]


def test_metrics_report_harvests_queues_datastore_and_requests(portal):
    requests.get(f"{portal.url}/api/3/action/status_show", timeout=60).raise_for_status()
    for _ in range(2):  # one search-cache miss, then a hit
        requests.get(f"{portal.url}/api/3/action/package_search",
                     params={"q": "metrics-e2e"}, timeout=60).raise_for_status()
    answer = requests.get(f"{portal.url}/metrics", timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("text/plain")
    samples = _samples(answer.text)
    source = "so-y-te-api"
    assert _value(samples, "smartcity_harvest_jobs", source=source, outcome="succeeded") >= 1
    age = _value(samples, "smartcity_harvest_last_success_age_seconds", source=source)
    assert 0 <= age < 24 * 3600
    for queue in ("gather", "fetch", "jobs"):
        assert _value(samples, "smartcity_queue_depth", queue=queue) >= 0
    assert _value(samples, "smartcity_datastore_bytes") > 1_000_000
    assert _value(samples, "smartcity_http_requests_total", route="api", status="2xx") >= 3
    assert _value(samples, "smartcity_http_request_duration_seconds_count", route="api") >= 3
    assert _value(samples, "smartcity_search_cache_requests_total", result="hit") >= 1
    assert 0 < _value(samples, "smartcity_search_cache_hit_ratio") <= 1
    assert _value(samples, "smartcity_upload_loads", state="loaded") >= 0
    assert "smartcity_metrics_errors_total" not in samples  # every figure was read
    # through nginx from loopback too
    assert requests.get(f"{portal.proxy_url}/metrics", timeout=60).status_code == 200


def test_metrics_are_refused_beyond_loopback_or_with_a_wrong_token(portal):
    forged = requests.get(f"{portal.url}/metrics", timeout=60,
                          headers={"X-Forwarded-For": "not-an-address"})
    assert forged.status_code == 403 and "smartcity_" not in forged.text
    assert "Readable from the server itself" in forged.text
    wrong = requests.get(f"{portal.url}/metrics", timeout=60,
                         headers={"X-Forwarded-For": "not-an-address",
                                  "Authorization": "Bearer wrong"})
    assert wrong.status_code == 403
