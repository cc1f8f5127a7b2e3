"""A harvest job travels through the real Redis gather and fetch queues."""
from __future__ import annotations

import json

import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestObject


class EchoHarvester(p.SingletonPlugin):
    """A trivial source type: one object per line of the source URL's fragment list."""

    p.implements(IHarvester)

    def info(self):
        return {"name": "echo_test", "title": "Echo", "description": "test-only source type"}

    def gather_stage(self, harvest_job):
        ids = []
        for guid in harvest_job.source.url.split("#", 1)[1].split(","):
            obj = HarvestObject(guid=guid, job=harvest_job)
            obj.save()
            ids.append(obj.id)
        return ids

    def fetch_stage(self, harvest_object):
        harvest_object.content = json.dumps({"name": harvest_object.guid})
        harvest_object.save()
        return True

    def import_stage(self, harvest_object):
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        data = json.loads(harvest_object.content)
        data["owner_org"] = model.Package.get(harvest_object.source.id).owner_org
        pkg = tk.get_action("package_create")({"user": site_user, "ignore_auth": True}, data)
        harvest_object.package_id = pkg["id"]
        harvest_object.current = True
        harvest_object.save()
        return True


@pytest.mark.provide_plugin("echo_test", EchoHarvester)
@pytest.mark.ckan_config("ckan.plugins", "harvest echo_test datastore")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_harvest_job_goes_through_gather_and_fetch_queues_on_redis():
    assert tk.config["ckan.harvest.mq.type"] == "redis"
    org = factories.Organization()
    sysadmin = factories.Sysadmin()
    ctx = {"user": sysadmin["name"]}
    source = helpers.call_action("harvest_source_create", ctx, name="echo", title="Echo",
                                 url="http://127.0.0.1/list#so-lieu-mot,so-lieu-hai",
                                 source_type="echo_test", owner_org=org["id"])
    job = helpers.call_action("harvest_job_create", ctx, source_id=source["id"], run=True)

    gather = queue.get_gather_consumer()
    fetch = queue.get_fetch_consumer()
    reply = gather.basic_get(queue=queue.get_gather_queue_name())
    assert reply[2] is not None, "the job was not put on the Redis gather queue"
    queue.gather_callback(gather, *reply)
    for _ in range(2):
        reply = fetch.basic_get(queue=queue.get_fetch_queue_name())
        assert reply[2] is not None, "a harvest object was not put on the Redis fetch queue"
        queue.fetch_callback(fetch, *reply)
    assert fetch.basic_get(queue=queue.get_fetch_queue_name())[2] is None

    helpers.call_action("harvest_jobs_run", ctx, source_id=source["id"])
    shown = helpers.call_action("harvest_job_show", ctx, id=job["id"])
    assert shown["status"] == "Finished"
    assert shown["stats"]["added"] == 2
    names = {p.name for p in model.Session.query(model.Package).filter_by(state="active",
                                                                          type="dataset")}
    assert names == {"so-lieu-mot", "so-lieu-hai"}
