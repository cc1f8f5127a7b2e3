"""Two fetch consumers ÷ one: the same harvest job run by K real `ckan harvester
fetch-consumer` processes reading the Redis fetch queue, as in production.

The job is gathered in this process, the consumers are started and given time to boot,
then the object ids are queued; the span is from the first object's fetch start to the
last object's import end (from the harvest objects' own timestamps), so process boot
does not count.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import common

BOOT_WAIT_S = 25.0
TIMEOUT_S = 1800.0


def run_job(source_id: str, consumers: int, expected: int) -> float:
    """Run one harvest job of ``source_id`` through ``consumers`` fetch consumers; the
    span in seconds. Stops the consumers it started."""
    from ckan import model
    from ckan.tests import helpers
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    ctx = {"ignore_auth": True}
    job_dict = helpers.call_action("harvest_job_create", ctx, source_id=source_id, run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(queue.get_harvester(job.source.type), job)
    if len(ids or []) != expected:
        raise SystemExit(f"gather gave {len(ids or [])} objects, expected {expected}")
    ini = common.bench_ini()
    log_dir = common.ROOT / "bench" / "results"
    procs = []
    try:
        for number in range(consumers):
            with open(log_dir / f"consumer-{consumers}-{number}.log", "w") as log:
                procs.append(subprocess.Popen(
                    [str(Path(os.sys.executable).with_name("ckan")), "-c", str(ini),
                     "harvester", "fetch-consumer"], stdout=log, stderr=log,
                    start_new_session=True, env=os.environ.copy()))
        time.sleep(BOOT_WAIT_S)
        for proc in procs:
            if proc.poll() is not None:
                raise SystemExit(f"fetch consumer exited ({proc.returncode}); see {log_dir}")
        publisher = queue.get_fetch_publisher()
        for obj_id in ids:
            publisher.send({"harvest_object_id": obj_id})
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            model.Session.expire_all()
            left = (model.Session.query(HarvestObject)
                    .filter(HarvestObject.harvest_job_id == job.id)
                    .filter(HarvestObject.state.notin_(["COMPLETE", "ERROR"])).count())
            if left == 0:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{left} objects unfinished after {TIMEOUT_S} s")
            time.sleep(0.5)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job.id).all()
    failed = [o for o in objects if o.state != "COMPLETE"]
    if failed:
        raise SystemExit(f"{len(failed)} objects failed with {consumers} consumers: "
                         f"{[e.message for e in failed[0].errors][:2]}")
    started = min(o.fetch_started for o in objects)
    finished = max(o.import_finished for o in objects)
    helpers.call_action("harvest_jobs_run", ctx, source_id=source_id)
    return round((finished - started).total_seconds(), 2)
