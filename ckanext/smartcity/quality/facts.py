"""Gathering the facts a dataset's score needs from CKAN: its DCAT graph checked with
SHACL, its links' last checks, its DataStore dictionary, its licence and department."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference import licenses
from ckanext.smartcity.dcat import shacl, vocab
from ckanext.smartcity.dcat.profile import distribution_urls
from ckanext.smartcity.quality import store
from ckanext.smartcity.quality.indicators import Distribution, Facts, LinkStatus


def dcat_violations(pkg: dict[str, Any]) -> int:
    """SHACL violations of the dataset's own DCAT-AP graph (the configured profiles)."""
    from ckanext.dcat.processors import RDFSerializer

    serializer = RDFSerializer()
    serializer.graph_from_dataset(pkg)
    return len(shacl.violations(serializer.g))


def _link(links: dict[str, Any], url: str | None) -> LinkStatus | None:
    data = links.get(url or "")
    return LinkStatus(**data) if isinstance(data, dict) else None


def distributions(pkg: dict[str, Any], links: dict[str, Any]) -> list[Distribution]:
    """The score's view of each resource, with the last check of its URLs."""
    found = []
    for resource in pkg.get("resources") or []:
        access, download = distribution_urls(pkg, resource)
        found.append(Distribution(
            access_url=access, download_url=download,
            fmt=str(resource.get("format") or ""),
            file_format=vocab.file_format(resource.get("format"), resource.get("mimetype")),
            has_size=bool(resource.get("size")),
            has_rights=licenses.url(pkg.get("license_id")) is not None,
            access=_link(links, access), download=_link(links, download)))
    return found


def _dictionary(pkg: dict[str, Any]) -> tuple[bool | None, str]:
    """(every DataStore column labelled in vi and en, detail); None without a table."""
    if not p.plugin_loaded("datastore"):
        return None, ""
    tables = [r for r in pkg.get("resources") or [] if r.get("datastore_active")]
    if not tables:
        return None, "no DataStore table"
    missing: list[str] = []
    for resource in tables:
        try:
            info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource["id"]})
        except (tk.ObjectNotFound, tk.ValidationError):
            continue
        for column in info.get("fields") or []:
            labels = column.get("info") or {}
            if not (str(labels.get("label") or "").strip()
                    and str(labels.get("label_en") or "").strip()):
                missing.append(column["id"])
    if missing:
        return False, "columns without vi/en label: " + ", ".join(missing[:10])
    return True, "every column labelled"


def _department_email(pkg: dict[str, Any]) -> str:
    org_id = pkg.get("owner_org")
    if not org_id:
        return ""
    try:
        org = tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": org_id, "include_datasets": False,
                                    "include_users": False, "include_extras": True})
    except tk.ObjectNotFound:
        return ""
    return str(org.get("contact_email") or "")


def gather(pkg: dict[str, Any]) -> Facts:
    """Every fact about `pkg` (package_show's dict) that the score reads."""
    complete, detail = _dictionary(pkg)
    return Facts(
        distributions=distributions(pkg, store.links(pkg["id"])),
        dcat_violations=dcat_violations(pkg),
        licence_known=licenses.get(pkg.get("license_id")) is not None,
        licence_in_vocabulary=licenses.eu_uri(pkg.get("license_id")) is not None,
        has_contact_point=bool(pkg.get("contact_email") or _department_email(pkg)),
        dictionary_complete=complete, dictionary_detail=detail)
