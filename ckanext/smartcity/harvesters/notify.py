"""Mail a department when a harvest job refused or failed tables.

After a job finishes (see :mod:`ckanext.smartcity.logic.action.jobs`), one message per
recipient: the department's admins and the source config's optional ``notify``
addresses. Vietnamese first, English below; it names the source, each dataset, column
and detector — the department report's own ``refused``/``failed`` entries, so never a
value or a secret — and links to the report page. Sent with CKAN's mailer
(``smtp.*`` settings).

Decisions:

* A repeating identical problem (same datasets, columns, detectors and messages, digits
  aside) is mailed at most once per source per day; a new or changed problem is mailed
  at once. The last mail's fingerprint lives in CKAN's ``system_info`` table, so every
  process that finishes jobs sees it.
* A drop file still being uploaded is not a problem worth a mail (the next run reads
  it); it stays visible in the report.
* A mail that cannot be sent is logged (without the addresses' messages) and never
  fails the job.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import jinja2

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.smartcity import config as options
from ckanext.smartcity.readers.file import SETTLING
from ckanext.smartcity.reference.labels import local_time

__all__ = ["notify_job", "recipients", "report_url", "REPEAT_AFTER", "REPORT_PATH"]

log = logging.getLogger(__name__)
REPEAT_AFTER = dt.timedelta(days=1)
#: the department harvest report page (one definition: web/views.py routes it), beside
#: the department's other pages (/organization/<id>, /organization/<id>/quality)
REPORT_PATH = "/organization/{id}/harvest-report"
#: where it was until issue 22 (links in mails already sent): a permanent redirect
OLD_REPORT_PATH = "/department/{id}/harvest-report"
_STATE_KEY = "smartcity_notified:{}"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(
        Path(__file__).parent.parent / "templates" / "smartcity" / "mail"),
    autoescape=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def report_url(department: str) -> str:
    """The absolute URL of a department's harvest report page."""
    return tk.config.get("ckan.site_url", "").rstrip("/") + REPORT_PATH.format(id=department)


def recipients(source_config: dict[str, Any], org_id: str) -> list[tuple[str, str]]:
    """``[(name, address)]``: the department's active admins with an e-mail address, then
    the config's ``notify`` addresses; each address once (case-insensitive)."""
    admins = (model.Session.query(model.User)
              .join(model.Member, model.Member.table_id == model.User.id)
              .filter(model.Member.group_id == org_id, model.Member.table_name == "user",
                      model.Member.capacity == "admin", model.Member.state == "active",
                      model.User.state == "active")
              .order_by(model.User.name).all())
    found: dict[str, tuple[str, str]] = {}
    for user in admins:
        if user.email and _EMAIL.fullmatch(user.email):
            found.setdefault(user.email.lower(), (user.display_name, user.email))
    for address in source_config.get("notify") or []:
        if isinstance(address, str) and _EMAIL.fullmatch(address):
            found.setdefault(address.lower(), (address, address))
    return list(found.values())


def _fingerprint(refused: list[dict[str, Any]], failed: list[dict[str, Any]]) -> str:
    # digits aside: job ids, times and row counts change from run to run
    shape = {"refused": sorted(json.dumps(r, sort_keys=True) for r in refused),
             "failed": sorted(f"{f['dataset']}|{re.sub(r'[0-9a-f-]{8,}|[0-9]+', '#', f['message'] or '')}"
                              for f in failed)}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def _already_sent(source_id: str, fingerprint: str, now: dt.datetime) -> bool:
    raw = model.get_system_info(_STATE_KEY.format(source_id))
    try:
        last = json.loads(raw) if raw else None
        sent = dt.datetime.fromisoformat(last["sent"]) if last else None
    except (ValueError, KeyError, TypeError):
        return False
    return (last is not None and sent is not None and last.get("fingerprint") == fingerprint
            and now - sent < REPEAT_AFTER)


def render(department: dict[str, Any], source: dict[str, Any],
           refused: list[dict[str, Any]], failed: list[dict[str, Any]],
           link: str) -> tuple[str, str]:
    """``(subject, body)`` of the mail about one job (plain text, vi then en)."""
    values = {"department": department, "source": source, "refused": refused,
              "failed": failed, "link": link,
              "finished": local_time((source.get("last_job") or {}).get("finished")),
              "site_title": tk.config.get("ckan.site_title") or "CKAN"}
    subject = _TEMPLATES.get_template("harvest_problems_subject.txt").render(values)
    body = _TEMPLATES.get_template("harvest_problems_body.txt").render(values)
    return " ".join(subject.split()), body


def notify_job(job_id: str) -> int:
    """Mail the recipients about a finished job's refusals and failures (see module).

    :returns: how many messages were sent (0 when nothing to say, a repeat within a
        day, no recipient, or notifications disabled).
    """
    from ckanext.harvest.model import HarvestJob

    from ckanext.smartcity.harvesters.outcomes import job_problems, job_summary
    from ckanext.smartcity.pipeline.validate import ConfigError, parse_config

    if not options.notify_enabled() or not tk.config.get("smtp.server"):
        return 0  # no mail relay configured (as in the tests that do not start a sink)
    job = HarvestJob.get(job_id)
    if job is None or job.status != "Finished":
        return 0
    source_obj = job.source
    package = model.Package.get(source_obj.id)
    if package is None or not package.owner_org:
        return 0
    org = model.Group.get(package.owner_org)
    now = dt.datetime.now(dt.timezone.utc)
    refused, failed = job_problems(source_obj.id, job)
    failed = [f for f in failed if SETTLING not in (f["message"] or "")]
    if not refused and not failed:
        return 0
    fingerprint = _fingerprint(refused, failed)
    if _already_sent(source_obj.id, fingerprint, now):
        log.info("harvest source %s: same problem as the last mail, not repeated today",
                 package.name)
        return 0
    try:
        config = parse_config(source_obj.config)
    except ConfigError:
        config = {}
    to = recipients(config, org.id)
    if not to:
        log.warning("harvest source %s: refusals/failures but nobody to mail (no admin "
                    "with an e-mail address, no 'notify')", package.name)
        return 0
    department = {"id": org.id, "name": org.name, "title": org.title}
    source = {"name": package.name, "title": source_obj.title, "last_job": job_summary(job)}
    subject, body = render(department, source, refused, failed, report_url(org.name))
    sent = 0
    for name, address in to:
        try:
            mailer.mail_recipient(name, address, subject, body,
                                  headers={"X-Smartcity-Harvest-Job": job.id})
            sent += 1
        except mailer.MailerException as err:
            log.error("harvest source %s: notification not sent (%s)", package.name,
                      type(err).__name__)
    if sent:
        model.set_system_info(_STATE_KEY.format(source_obj.id), json.dumps(
            {"fingerprint": fingerprint, "sent": now.isoformat(), "job": job.id}))
    return sent

