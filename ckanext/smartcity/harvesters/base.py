"""The shared gather/fetch/import of the smartcity harvesters (built on HarvesterBase).

* gather: one harvest object per dataset spec (guid ``<source id>/<name>``, content =
  the spec); with ``delete_missing``, specs gone from the config become deletions, but
  only when the whole gather succeeded and the source answers;
* fetch: nothing to transfer (the rows are read under the import lock);
* import: under a PostgreSQL advisory lock on the dataset name (with a timeout),
  :func:`~ckanext.smartcity.pipeline.driver.import_table` of a :class:`.table_source.HarvestTable`
  reads, guards and publishes — or withdraws the dataset of a removed spec.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from typing import Any, ClassVar

import sqlalchemy as sa

import ckan.model as model
from ckan.lib import search
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.smartcity.harvesters import fingerprint as fp
from ckanext.smartcity.harvesters.table_source import HarvestTable, Source
from ckanext.smartcity.pipeline.driver import import_table
from ckanext.smartcity.pipeline.prepare import ImportFailure
from ckanext.smartcity.harvesters.lock import LockTimeout, dataset_lock
from ckanext.smartcity import config as options
from ckanext.smartcity.pipeline.publish import withdraw
from ckanext.smartcity.pipeline.validate import (ConfigError, check_config, parse_config,
                                                 url_password_error)
from ckanext.smartcity.readers import REGISTRY, FileReader, Reader, ReaderError

__all__ = ["SmartcityHarvester", "make_reader", "guid_for", "source_department"]

log = logging.getLogger(__name__)
STATUS = "smartcity_status"
#: object extra: the privacy guard's blocking findings ``[{"column", "detector"}]``
REFUSED = "smartcity_refused"
#: object extra: its import has ended (the job's last one commits the Solr index)
ENDED = "smartcity_import_ended"


def source_department(source_id: str | None) -> str | None:
    """The organization name owning harvest source ``source_id`` (None if it has none)."""
    package = model.Package.get(source_id) if source_id else None
    group = model.Group.get(package.owner_org) if package and package.owner_org else None
    return group.name if group is not None else None


def make_reader(reader_name: str, url: str, config: dict[str, Any], *,
                department: str | None = None) -> Reader:
    """The reader for a source, with the portal's allowed hosts (its own services
    denied), file roots and the secrets registry; ``department`` is the organization
    name owning the source (without it the source may use no secret)."""
    reader_class = REGISTRY[reader_name]
    extra: dict[str, Any] = {}
    if issubclass(reader_class, FileReader):
        extra["settle_seconds"] = options.file_settle_seconds()
    return reader_class(url, config, env=options.secret_env(),
                        allowed_hosts=options.allowed_hosts(),
                        file_roots=options.file_roots(), department=department,
                        scopes=options.secret_scopes(), **extra)


_parsed: dict[str, tuple[str, dict[str, Any]]] = {}


def _job_config(source_obj: Any) -> dict[str, Any]:
    """The source config without its list of datasets (each object carries its own spec),
    parsed once per config text (so once per job, not once per object); a fresh copy for
    every caller."""
    text = source_obj.config or ""
    kept = _parsed.get(source_obj.id)
    if kept is None or kept[0] != text:
        config = parse_config(text)
        config.pop("datasets", None)
        kept = _parsed[source_obj.id] = (text, config)
    return copy.deepcopy(kept[1])


def _vanished(object_id: str | None) -> bool:
    """True when the harvest object's row is gone (its source was cleared)."""
    if not object_id:
        return True
    return model.Session.query(HarvestObject.id).filter(
        HarvestObject.id == object_id).first() is None


def guid_for(source_id: str, name: str) -> str:
    """The harvest guid of a dataset spec: source id + dataset name."""
    return f"{source_id}/{name}"


class SmartcityHarvester(HarvesterBase):
    """Base of ``smartcity_sql``, ``smartcity_api`` and ``smartcity_file``.

    Subclasses set :attr:`reader_name` (a key of the readers ``REGISTRY``), ``title``
    and ``description``; everything else is shared.
    """

    reader_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""

    # IHarvester

    def info(self) -> dict[str, str]:
        """Name (= plugin name = source type), title and description."""
        return {"name": self.reader_name, "title": self.title,
                "description": self.description}

    def validate_config(self, config: str | None) -> str | None:
        """Check the source config; raise ValueError naming the offending key."""
        parsed = parse_config(config)
        check_config(config, make_reader(self.reader_name, "", parsed))
        return config

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        """One object per spec, plus deletions when ``delete_missing`` (see module)."""
        source_obj = harvest_job.source
        name = self._source_name(source_obj)
        problem = url_password_error(source_obj.url or "")
        if problem:
            self._save_gather_error(f"{name}: {problem}", harvest_job)
            return None
        try:
            config = parse_config(source_obj.config)
            reader = make_reader(self.reader_name, source_obj.url, config,
                                 department=source_department(source_obj.id))
            check_config(source_obj.config, reader)
            problems = {**reader.validate_source(), **{
                key: f"bí mật bị từ chối / secret refused: {reason}"
                for key, reason in reader.secret_problems().items()}}
            if problems:
                key, cause = next(iter(problems.items()))
                raise ConfigError(key, cause)
        except ConfigError as err:
            self._save_gather_error(f"{name}: cấu hình nguồn không hợp lệ / invalid configuration: "
                                    f"{err}", harvest_job)
            return None
        specs = config["datasets"]
        wanted = {guid_for(source_obj.id, spec["name"]): spec for spec in specs}
        removed: dict[str, str] = {}
        if config.get("delete_missing"):
            current = (model.Session.query(HarvestObject.guid, HarvestObject.package_id)
                       .filter(HarvestObject.harvest_source_id == source_obj.id)
                       .filter(HarvestObject.current == True)  # noqa: E712
                       .all())
            removed = {g: p for g, p in current if g not in wanted and p}
            if removed and not self._source_answers(reader, specs[0], name, harvest_job):
                return None
        objects, skipped = self._objects(harvest_job, source_obj, config, reader, wanted)
        objects += [HarvestObject(guid=guid, job=harvest_job, package_id=package_id,
                                  extras=[HarvestObjectExtra(key=STATUS, value="delete")])
                    for guid, package_id in removed.items()]
        # all objects in one transaction (one commit, not one per dataset)
        model.Session.add_all(objects + skipped)
        model.Session.commit()
        ids = [obj.id for obj in objects]
        log.info("%s: gathered %d datasets (%d unchanged by fingerprint, not read), "
                 "%d to withdraw", name, len(wanted), len(skipped), len(removed))
        return ids

    def _objects(self, harvest_job: HarvestJob, source_obj: Any, config: dict[str, Any],
                 reader: Reader, wanted: dict[str, dict[str, Any]]
                 ) -> tuple[list[HarvestObject], list[HarvestObject]]:
        """The objects to import, and those of tables unchanged since their last
        completed import (see :mod:`.fingerprint`), created already complete as
        "not modified" (they are not queued)."""
        previous = fp.previous_fingerprints(source_obj.id)
        # a signal is asked for only where a skip is possible: the last completed import
        # had one and its dataset is still published (a first harvest asks nothing here;
        # the import takes the signal itself, before reading)
        alive = fp.still_published({package for print_, package in previous.values()
                                    if print_ and package})
        schemas: dict[str, Any] = {}
        prints: dict[str, str | None] = {}
        candidates: dict[str, str] = {}
        for guid, spec in wanted.items():
            last_print, package = previous.get(guid, (None, None))
            if last_print and package in alive:
                prints[guid] = fp.fingerprint(source_obj, config, spec, reader, schemas)
                if prints[guid] == last_print:
                    candidates[guid] = package
        now = dt.datetime.utcnow()
        objects: list[HarvestObject] = []
        skipped: list[HarvestObject] = []
        for guid, spec in wanted.items():
            extras = [HarvestObjectExtra(key=STATUS, value="harvest")]
            if prints.get(guid):
                extras.append(HarvestObjectExtra(key=fp.FINGERPRINT, value=prints[guid]))
            package_id = candidates.get(guid)
            if package_id:
                skipped.append(HarvestObject(
                    guid=guid, job=harvest_job, content=json.dumps(spec),
                    package_id=package_id, state="COMPLETE", report_status="not modified",
                    fetch_started=now, fetch_finished=now, import_started=now,
                    import_finished=now, extras=extras))
            else:
                objects.append(HarvestObject(guid=guid, job=harvest_job,
                                             content=json.dumps(spec), extras=extras))
        return objects, skipped

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        """Nothing to fetch separately: rows are read under the import lock."""
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        """Publish (or withdraw) one dataset; ``"unchanged"`` when nothing changed.

        Datasets are indexed without a Solr commit each; the import that finds no other
        object of its job still waiting or running commits the index once for the job
        (see :meth:`_commit_index_if_last`)."""
        result: bool | str = False
        try:
            result = self._import_stage(harvest_object)
        finally:
            self._commit_index_if_last(harvest_object, result)
        return result

    def _commit_index_if_last(self, harvest_object: HarvestObject,
                              result: bool | str) -> None:
        """Mark this object's import as ended (an object extra, committed), then, when
        every other object of the job is finished or marked too, commit the Solr index.

        Each import commits its mark before it counts the others, so of two consumers
        finishing together the later count sees both marks: at least one commits."""
        try:
            model.Session.rollback()
            model.Session.add(HarvestObjectExtra(harvest_object_id=harvest_object.id,
                                                 key=ENDED, value="1"))
            model.Session.commit()
            pending = (model.Session.query(HarvestObject.id)
                       .outerjoin(HarvestObjectExtra, sa.and_(
                           HarvestObjectExtra.harvest_object_id == HarvestObject.id,
                           HarvestObjectExtra.key == ENDED))
                       .filter(HarvestObject.harvest_job_id == harvest_object.harvest_job_id)
                       .filter(HarvestObject.state.notin_(("COMPLETE", "ERROR")))
                       .filter(HarvestObjectExtra.id.is_(None))
                       .limit(1).count())
            if not pending:
                search.commit()
        except Exception as err:  # noqa: BLE001 - the next commit makes them visible
            log.error("index commit after %s failed (%s)", harvest_object.guid,
                      type(err).__name__)

    def _import_stage(self, harvest_object: HarvestObject) -> bool | str:
        source_obj = harvest_object.source or harvest_object.job.source
        name = self._source_name(source_obj)
        guid = harvest_object.guid
        status = self._get_object_extra(harvest_object, STATUS) or "harvest"
        model.Session.commit()  # persist the object's state before waiting on the lock
        refused: list[dict[str, str]] = []
        try:
            # keyed on the dataset name: two sources declaring one name take turns
            with dataset_lock(guid.split("/", 1)[-1], options.lock_timeout_seconds()):
                model.Session.expire_all()  # another consumer may have published meanwhile
                if status == "delete":
                    return self._withdraw(harvest_object, name)
                return self._import(harvest_object, source_obj, name)
        except ImportFailure as err:
            message, refused = str(err), err.refused
        except LockTimeout as err:
            message = f"{name}: {err}"
        except Exception as err:  # noqa: BLE001 - reported, never with row values
            log.error("%s: import of %s failed (%s)", name, guid, type(err).__name__)
            message = (f"{name}: {guid.rsplit('/', 1)[-1]}: công bố thất bại, dữ liệu "
                       f"đã công bố giữ nguyên / import failed, nothing published "
                       f"changed ({type(err).__name__})")
        self._save_error(harvest_object, message, refused)
        return False

    # helpers

    def _save_error(self, harvest_object: HarvestObject, message: str,
                    refused: list[dict[str, str]] | None = None) -> None:
        """Record an object error after a failed import (the session may be gone);
        a privacy refusal also keeps its findings (column, detector) as an extra."""
        model.Session.rollback()
        if _vanished(harvest_object.id):
            # the source was cleared or deleted meanwhile (its objects with it): nothing
            # to record an error on, and no reason to take the consumer down
            log.warning("harvest object %s vanished during its import (source cleared "
                        "or deleted)", harvest_object.id)
            return
        if sa.inspect(harvest_object).detached:
            model.Session.add(harvest_object)
        if refused:
            model.Session.add(HarvestObjectExtra(object=harvest_object, key=REFUSED,
                                                 value=json.dumps(refused)))
        self._save_object_error(message, harvest_object, "Import")

    @staticmethod
    def _get_object_extra(harvest_object: HarvestObject, key: str) -> str | None:
        for extra in harvest_object.extras:
            if extra.key == key:
                return extra.value
        return None

    @staticmethod
    def _source_name(source_obj: Any) -> str:
        """The source as errors name it: its title (never its URL, which may be an
        internal connection string)."""
        title = getattr(source_obj, "title", "") or ""
        return title or source_obj.id

    def _source_answers(self, reader: Reader, spec: dict[str, Any], name: str,
                        harvest_job: HarvestJob) -> bool:
        """Read one batch of the first spec; a failing source stops the deletions."""
        try:
            with reader.read(spec, batch_size=1) as table:
                next(iter(table.batches()), None)
        except ReaderError as err:
            self._save_gather_error(f"{name}: hệ thống nguồn không trả lời, không rút "
                                    f"bộ dữ liệu nào / source not available, no dataset "
                                    f"was withdrawn: {err.cause}", harvest_job)
            return False
        except Exception as err:  # noqa: BLE001
            self._save_gather_error(f"{name}: hệ thống nguồn không trả lời, không rút "
                                    f"bộ dữ liệu nào / source not available, no dataset "
                                    f"was withdrawn ({type(err).__name__})", harvest_job)
            return False
        return True

    def _source(self, source_obj: Any, config: dict[str, Any], name: str) -> Source:
        package = model.Package.get(source_obj.id)
        owner_org = package.owner_org if package is not None else None
        if not owner_org:
            raise ImportFailure(f"{name}: nguồn chưa gắn với sở, ngành nào / the harvest "
                                f"source has no department (owner_org)")
        return Source(source_obj.id, name, owner_org, config, self._get_user_name())

    def _mark_current(self, harvest_object: HarvestObject, package_id: str) -> None:
        (model.Session.query(HarvestObject)
         .filter(HarvestObject.guid == harvest_object.guid)
         .filter(HarvestObject.id != harvest_object.id)
         .update({"current": False}, synchronize_session=False))
        harvest_object.package_id = package_id
        harvest_object.current = True
        harvest_object.save()

    def _link_before_write(self, harvest_object: HarvestObject, package_id: str) -> None:
        """Make ``harvest_object`` the current one of ``package_id`` before the dataset
        is written, in the same transaction (as ckanext-harvest's own base does), so the
        index has ``harvest_source_id``/``harvest_object_id`` from the first harvest. The
        foreign key is deferred: a new dataset is created only by the write that follows;
        a failed write rolls this back too."""
        (model.Session.query(HarvestObject)
         .filter(sa.or_(HarvestObject.guid == harvest_object.guid,
                        HarvestObject.package_id == package_id))
         .filter(HarvestObject.id != harvest_object.id)
         .update({"current": False}, synchronize_session=False))
        harvest_object.package_id = package_id
        harvest_object.current = True
        model.Session.add(harvest_object)
        model.Session.execute(
            sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
        model.Session.flush()

    def _import(self, harvest_object: HarvestObject, source_obj: Any,
                name: str) -> bool | str:
        try:
            spec = json.loads(harvest_object.content or "")
            config = _job_config(source_obj)
        except (ValueError, ConfigError):
            raise ImportFailure(f"{name}: harvest object {harvest_object.id} has no "
                                f"readable dataset spec") from None
        source = self._source(source_obj, config, name)
        reader = make_reader(self.reader_name, source_obj.url, config,
                             department=source_department(source_obj.id))
        if not self._get_object_extra(harvest_object, fp.FINGERPRINT):
            # the content signal is taken before the rows are read: a change while they
            # are read gives a different signal next time, so it is never skipped
            print_ = fp.fingerprint(source_obj, config, spec, reader, {})
            if print_:
                model.Session.add(HarvestObjectExtra(object=harvest_object,
                                                     key=fp.FINGERPRINT, value=print_))
        known = {pid for (pid,) in model.Session.query(HarvestObject.package_id)
                 .filter(HarvestObject.guid == harvest_object.guid)
                 .filter(HarvestObject.package_id.isnot(None)).distinct()}
        outcome, package_id = import_table(
            HarvestTable(reader, spec, source), batch_size=options.batch_size(),
            known_ids=known,
            before_write=lambda package_id: self._link_before_write(harvest_object,
                                                                    package_id),
            defer_index=True)
        if outcome == "unchanged":
            # not made current (the publishing object stays so), but linked: the next
            # gather compares its fingerprint against this dataset
            harvest_object.package_id = package_id
            harvest_object.save()
            return "unchanged"
        assert package_id is not None
        self._mark_current(harvest_object, package_id)
        return True

    def _withdraw(self, harvest_object: HarvestObject, name: str) -> bool:
        package_id = harvest_object.package_id
        if package_id:
            withdraw(package_id, self._get_user_name())
        (model.Session.query(HarvestObject)
         .filter(HarvestObject.guid == harvest_object.guid)
         .update({"current": False}, synchronize_session=False))
        harvest_object.current = False
        harvest_object.save()
        log.info("%s: withdrew dataset of %s", name, harvest_object.guid)
        return True
