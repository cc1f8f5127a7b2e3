"""Two fetch consumers importing the same harvest object at once."""
from __future__ import annotations

import threading

import pytest

import ckan.model as model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from .conftest import (PLUGINS, dataset, harvester_for, make_source, object_errors,
                       published, rows, spec, sql_config)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def test_two_consumers_on_one_object_publish_once(app, sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    job_dict = helpers.call_action("harvest_job_create", {"ignore_auth": True},
                                   source_id=source["id"], run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = harvester_for("smartcity_sql")
    (object_id,) = queue.gather_stage(harvester, job)
    model.Session.commit()

    start = threading.Barrier(2)
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def consumer() -> None:
        try:
            with app.flask_app.test_request_context():
                obj = HarvestObject.get(object_id)
                start.wait()
                queue.fetch_and_import_stages(harvester, obj)
                outcomes.append(f"{obj.state}/{obj.report_status}")
        except BaseException as err:  # noqa: BLE001 - re-raised in the main thread
            failures.append(err)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    model.Session.expire_all()

    assert sorted(outcomes) == ["COMPLETE/added", "COMPLETE/not modified"], outcomes
    assert object_errors(job.id) == []
    assert published() == ["co-so-y-te-theo-xa"]
    records = rows(dataset("co-so-y-te-theo-xa")["resources"][0]["id"])
    assert [r["_id"] for r in records] == [1, 2, 3]
