"""Readers never wait for a reload; curated dictionaries, provenance and the published
table survive re-harvests, form edits and failed writes; one dataset name, one import."""
from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from .conftest import (PLUGINS, dataset, extra, harvester_for, make_source, object_errors,
                       published, rows, run_job, spec, sql_config, update_source)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

BIG = 150_000


def _datastore() -> sa.Engine:
    from ckanext.datastore.backend import postgres as backend
    return backend.get_write_engine()


def _indexes(resource_id: str) -> list[str]:
    with _datastore().connect() as conn:
        return sorted(conn.execute(sa.text(
            "SELECT indexname FROM pg_indexes WHERE tablename = :t"),
            {"t": resource_id}).scalars())


def _tables() -> set[str]:
    with _datastore().connect() as conn:
        return set(conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())


def test_datastore_search_never_waits_for_a_reload(app, sysadmin, org, department):
    role = sa.engine.make_url(department.url).username
    department.execute(f"""
        DROP TABLE IF EXISTS so_lieu_lon;
        CREATE TABLE so_lieu_lon AS SELECT (ARRAY['20194', '20197', '20200'])[1 + mod(i, 3)] AS ma_xa, 2000 + mod(i, 26) AS nam,
            'Nhóm ' || mod(i, 7) AS nhom, i AS so_lieu FROM generate_series(1, {BIG}) AS i;
        GRANT SELECT ON so_lieu_lon TO {role};""")
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("so-lieu-lon", "so_lieu_lon")))
    first = run_job(source["id"])
    assert first["stats"]["added"] == 1, object_errors(first["id"])
    resource_id = dataset("so-lieu-lon")["resources"][0]["id"]
    indexes = _indexes(resource_id)
    department.execute("UPDATE so_lieu_lon SET so_lieu = so_lieu + 1000000")

    done = threading.Event()
    failures: list[BaseException] = []

    def reload() -> None:
        try:
            with app.flask_app.test_request_context():
                run_job(source["id"])
        except BaseException as err:  # noqa: BLE001 - re-raised below
            failures.append(err)
        finally:
            model.Session.remove()
            done.set()

    # a reader that PostgreSQL stops after 1 s of waiting for any lock: "never blocked
    # longer than a second" is checked by the database, not by a clock on a busy machine
    probe = sa.create_engine(tk.config["ckan.datastore.read_url"],
                             isolation_level="AUTOCOMMIT").connect()
    probe.exec_driver_sql("SET lock_timeout = '1s'")
    thread = threading.Thread(target=reload)
    thread.start()
    searches, seen, blocked = 0, set(), []
    try:
        while not done.is_set():
            answer = helpers.call_action("datastore_search", {"ignore_auth": True},
                                         resource_id=resource_id, limit=1, sort="_id",
                                         include_total=True)
            assert answer["total"] == BIG  # the old table or the new one, never a half
            seen.add(answer["records"][0]["so_lieu"])
            searches += 1
            try:
                probe.exec_driver_sql(f'SELECT so_lieu FROM "{resource_id}" '
                                      f'ORDER BY _id LIMIT 1').scalar()
            except sa.exc.OperationalError as err:
                blocked.append(getattr(err.orig, "pgcode", None))
            time.sleep(0.01)
    finally:
        thread.join()
        probe.close()
    assert not failures, failures
    assert searches >= 20, "the reload finished before the readers could look"
    assert blocked == [], "a reader waited more than 1 s for the reload's lock"
    assert seen <= {1, 1000001} and 1000001 in seen
    assert rows(resource_id)[0]["so_lieu"] == 1000001
    assert _indexes(resource_id) == indexes  # renamed back, not duplicated
    assert not any(t.startswith(resource_id[:40] + "_") for t in _tables())
    department.execute("DROP TABLE so_lieu_lon")


def test_curated_dictionary_survives_a_changed_reharvest(app, sysadmin, org, department):
    columns = [{"id": "ma_xa", "label": "Mã xã", "label_en": "Commune code"},
               {"id": "so_co_so", "type": "int", "label": "Số cơ sở"}]
    source = make_source(sysadmin, org, department.url, sql_config(spec(
        "co-so-y-te", "co_so_y_te", query="SELECT ma_xa, so_co_so FROM co_so_y_te",
        columns=columns)))
    run_job(source["id"])
    pkg = dataset("co-so-y-te")
    resource_id = pkg["resources"][0]["id"]
    token = factories.APIToken(user=sysadmin["name"])["token"]
    # the data dictionary form, as a department editor submits it
    form = {"info__0__label": "Mã đơn vị hành chính cấp xã",
            "info__0__notes": "Theo danh mục từ 01/7/2025",
            "info__1__label": "Số cơ sở", "info__1__notes": ""}
    answer = app.post(f"/dataset/{pkg['name']}/dictionary/{resource_id}", data=form,
                      headers={"Authorization": token}, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:500]

    department.execute("UPDATE co_so_y_te SET so_co_so = so_co_so + 1")
    update = json.loads(source["config"])
    update["datasets"][0]["query"] = "SELECT ma_xa, nam, so_co_so FROM co_so_y_te"
    update["datasets"][0]["columns"] = [
        {"id": "ma_xa", "label": "Mã xã (cấu hình)"}, {"id": "nam", "type": "int",
                                                      "label": "Năm", "label_en": "Year"},
        {"id": "so_co_so", "type": "int", "label": "Số cơ sở"}]
    update_source(sysadmin, source, config=json.dumps(update, ensure_ascii=False))
    assert run_job(source["id"])["stats"]["updated"] == 1
    fields = {f["id"]: f.get("info", {}) for f in helpers.call_action(
        "datastore_info", {"ignore_auth": True}, id=resource_id)["fields"]}
    assert fields["ma_xa"]["label"] == "Mã đơn vị hành chính cấp xã"
    assert fields["ma_xa"]["notes"] == "Theo danh mục từ 01/7/2025"
    assert fields["nam"]["label"] == "Năm" and fields["nam"]["label_en"] == "Year"
    assert [r["so_co_so"] for r in rows(resource_id)] == [13, 16, 21]


def test_form_edit_keeps_provenance_and_empty_source_is_refused(app, sysadmin, org,
                                                                department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("giuong-benh", "giuong_benh")))
    run_job(source["id"])
    before = dataset("giuong-benh")
    token = factories.APIToken(user=sysadmin["name"])["token"]
    # the dataset edit form, submitted as the page renders it (no provenance fields)
    page = app.get(f"/dataset/edit/{before['name']}", headers={"Authorization": token})
    assert page.status_code == 200 and 'name="row_count"' not in page.get_data(as_text=True)
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id=before["id"],
                        notes="Sửa mô tả qua biểu mẫu", row_count="0", content_hash="x")
    after = dataset("giuong-benh")
    assert after["notes"] == "Sửa mô tả qua biểu mẫu"
    for key in ("row_count", "content_hash", "harvest_source", "privacy_report"):
        assert extra(after, key) == extra(before, key), key

    department.execute("DELETE FROM giuong_benh")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 1
    assert any("no rows but 2 are published" in e for e in object_errors(job["id"]))
    assert len(rows(after["resources"][0]["id"])) == 2


def test_failed_metadata_write_leaves_rows_csv_and_metadata(app, sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te", "co_so_y_te")))
    run_job(source["id"])
    before = dataset("co-so-y-te")
    resource = before["resources"][0]
    csv_before = app.get(resource["url"].replace("http://127.0.0.1:5001", "")).get_data()
    # a real failure at COMMIT of the CKAN database, after the CSV was stored and Solr
    # indexed: a deferred constraint trigger refusing this dataset's update
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql("""
            CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_update AFTER UPDATE ON package
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (NEW.name = 'co-so-y-te') EXECUTE FUNCTION refuse_update();""")
    try:
        department.execute("UPDATE co_so_y_te SET so_co_so = so_co_so + 100")
        job = run_job(source["id"])
        assert job["stats"]["errored"] == 1, object_errors(job["id"])
    finally:
        with model.meta.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER refuse_update ON package; "
                                 "DROP FUNCTION refuse_update()")
    after = dataset("co-so-y-te")
    assert extra(after, "content_hash") == extra(before, "content_hash")
    assert extra(after, "row_count") == extra(before, "row_count")
    assert [r["so_co_so"] for r in rows(resource["id"])] == [12, 15, 20]
    csv_after = app.get(resource["url"].replace("http://127.0.0.1:5001", "")).get_data()
    assert csv_after == csv_before
    assert run_job(source["id"])["stats"]["updated"] == 1  # and the next run publishes
    assert [r["so_co_so"] for r in rows(resource["id"])] == [112, 115, 120]


def test_two_sources_declaring_one_dataset_name(app, sysadmin, org, department):
    first = make_source(sysadmin, org, department.url,
                        sql_config(spec("co-so-y-te", "co_so_y_te")), name="syt-a")
    second = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te", "giuong_benh")), name="syt-b")
    objects = []
    for source in (first, second):
        job_dict = helpers.call_action("harvest_job_create", {"ignore_auth": True},
                                       source_id=source["id"], run=False)
        job = HarvestJob.get(job_dict["id"])
        job.status = "Running"
        job.save()
        (object_id,) = queue.gather_stage(harvester_for("smartcity_sql"), job)
        objects.append((job.id, object_id))
    model.Session.commit()

    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def consumer(object_id: str) -> None:
        try:
            with app.flask_app.test_request_context():
                obj = HarvestObject.get(object_id)
                start.wait()
                queue.fetch_and_import_stages(harvester_for("smartcity_sql"), obj)
        except BaseException as err:  # noqa: BLE001 - re-raised below
            failures.append(err)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=consumer, args=(o,)) for _, o in objects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    model.Session.expire_all()
    errors = [e for job_id, _ in objects for e in object_errors(job_id)]
    assert published() == ["co-so-y-te"]
    assert len(errors) == 1, errors
    assert "the name is taken by a dataset this source did not harvest" in errors[0]
    assert not any("package_create" in e or "IntegrityError" in e for e in errors)


def test_import_lock_times_out_naming_the_dataset(app, sysadmin, org, department,
                                                  ckan_config, monkeypatch):
    from ckanext.smartcity.harvesters.lock import dataset_lock

    monkeypatch.setitem(ckan_config, "ckanext.smartcity.harvest.lock_timeout_seconds", "1")
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te", "co_so_y_te")))
    with dataset_lock("co-so-y-te", 5):  # another consumer holds it
        started = time.monotonic()
        job = run_job(source["id"])
    assert time.monotonic() - started < 30
    [error] = object_errors(job["id"])
    assert "dataset co-so-y-te: another harvest was still importing it" in error
    assert published() == []
