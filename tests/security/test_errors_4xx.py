"""Requests that made CKAN answer 500 now get a clean 4xx (issue 19, finding 8)."""
from __future__ import annotations

from .test_info_leaks import _public_table


def test_anonymous_collaborator_list_is_refused_not_a_500(portal):
    dataset = portal.action("package_search", {"fq": "-dataset_type:harvest", "rows": 1},
                            token=None)["results"][0]
    answer = portal.raw_action("package_collaborator_list", {"id": dataset["id"]},
                               token=None)
    assert answer.status_code == 403, answer.text[:300]


def test_harvest_log_list_is_refused_to_a_logged_in_user_not_a_500(portal, outsider):
    answer = portal.raw_action("harvest_log_list", {}, token=outsider.token)
    assert answer.status_code == 403, answer.text[:300]
    assert portal.raw_action("harvest_log_list", {}, token=None).status_code == 403
    assert portal.raw_action("harvest_log_list", {}).status_code == 200  # the sysadmin


def test_datastore_dump_with_an_unknown_format_is_a_400_naming_the_formats(portal):
    resource_id = _public_table(portal)
    answer = portal.session().get(f"{portal.url}/datastore/dump/{resource_id}",
                                  params={"format": "zzz"}, timeout=60)
    assert answer.status_code == 400, answer.status_code
    for fmt in ("csv", "tsv", "json", "xml"):
        assert fmt in answer.text
    good = portal.session().get(f"{portal.url}/datastore/dump/{resource_id}",
                                params={"format": "json"}, timeout=60)
    assert good.status_code == 200


def test_dump_of_the_table_metadata_is_a_404_not_a_500(portal):
    for session in (portal.session(), portal.login()):
        answer = session.get(f"{portal.url}/datastore/dump/_table_metadata", timeout=60)
        assert answer.status_code == 404, answer.status_code


def test_changes_multiple_with_bad_activity_ids_is_a_4xx(portal):
    for params in ({}, {"new_id": "nope", "old_id": "nope"}):
        for path in ("/dataset/changes_multiple", "/organization/changes_multiple"):
            answer = portal.session().get(f"{portal.url}{path}", params=params, timeout=60)
            assert 400 <= answer.status_code < 500, (path, params, answer.status_code)
