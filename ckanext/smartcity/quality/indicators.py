"""The MQA-style score of one dataset, computed from its package dict and a few facts.

The 405-point scheme of data.europa.eu's Metadata Quality Assessment:

==================  ====  =========================================================
dimension            max  indicators (points)
==================  ====  =========================================================
findability          100  keywords 30, themes 30, spatial 20, temporal 20
accessibility        100  access URL reachable 50, download URL 20, download URL
                          reachable 30
interoperability     110  format 20, media type 10, format/media type from a
                          vocabulary 10, non-proprietary 20, machine-readable 20,
                          DCAT-AP compliant 30
reusability           75  licence 20, licence from a vocabulary 10, access rights 10,
                          access rights from a vocabulary 5, contact point 20,
                          publisher 10
contextuality         20  rights 5, byte size 5, issued 5, modified 5
==================  ====  =========================================================

Distribution indicators earn their points in proportion to the share of distributions
that pass (as MQA does), rounded down; a dataset without distributions earns none of them.
"DCAT-AP compliant" means the dataset's own DCAT graph has no SHACL violation.

City indicators stay outside the 405: timeliness (updated within its declared frequency),
data dictionary complete in vi and en, privacy report present.

Pure: no CKAN import; :mod:`ckanext.smartcity.quality.facts` gathers the facts.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartcity.dcat import vocab
from ckanext.smartcity.quality.report import CityIndicator, Indicator, QualityReport


@dataclass
class LinkStatus:
    """The last reachability check of one URL."""

    ok: bool
    status: int | None
    checked_at: str
    last_ok_at: str | None = None
    error: str = ""


@dataclass
class Distribution:
    """What the score needs to know of one resource."""

    access_url: str
    download_url: str | None
    fmt: str
    file_format: vocab.FileFormat | None
    has_size: bool
    has_rights: bool
    access: LinkStatus | None = None
    download: LinkStatus | None = None


@dataclass
class Facts:
    """What the package dict does not say: SHACL result, links, dictionary, licence."""

    distributions: list[Distribution]
    dcat_violations: int
    licence_known: bool
    licence_in_vocabulary: bool
    has_contact_point: bool
    dictionary_complete: bool | None = None
    dictionary_detail: str = ""
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


#: indicator → (dimension, max points, fix in Vietnamese, fix in English), in report order.
SCHEME: dict[str, tuple[str, int, str, str]] = {
    "keywords": ("findability", 30, "Thêm từ khóa (thẻ) mô tả nội dung dữ liệu.",
                 "Add keywords (tags) describing the data."),
    "themes": ("findability", 30, "Chọn loại dữ liệu có chủ đề dữ liệu châu Âu (EU data theme).",
               "Use a dataset type that has an EU data theme."),
    "spatial": ("findability", 20, "Chọn các đơn vị hành chính mà dữ liệu bao phủ.",
                "Select the administrative units the data covers."),
    "temporal": ("findability", 20, "Điền khoảng thời gian của dữ liệu (từ ngày, đến ngày).",
                 "Fill in the temporal coverage (start and end dates)."),
    "access_url_reachable": ("accessibility", 50,
                             "Sửa đường dẫn truy cập không mở được (kiểm tra liên kết định kỳ báo lỗi).",
                             "Fix access URLs that do not answer (the periodic link check failed)."),
    "download_url": ("accessibility", 20,
                     "Tải tệp dữ liệu lên hoặc cho đường dẫn tải trực tiếp với định dạng tệp.",
                     "Upload the data file or give a direct download link with its file format."),
    "download_url_reachable": ("accessibility", 30,
                               "Sửa đường dẫn tải xuống không mở được.",
                               "Fix download URLs that do not answer."),
    "format": ("interoperability", 20, "Ghi định dạng cho mọi tài nguyên (vd. CSV).",
               "Give every resource a format (e.g. CSV)."),
    "media_type": ("interoperability", 10, "Dùng định dạng có kiểu phương tiện IANA (vd. CSV → text/csv).",
                   "Use a format with an IANA media type (e.g. CSV → text/csv)."),
    "format_vocabulary": ("interoperability", 10,
                          "Dùng định dạng trong danh mục loại tệp của EU (CSV, JSON, XLSX…).",
                          "Use a format from the EU file-type vocabulary (CSV, JSON, XLSX…)."),
    "non_proprietary": ("interoperability", 20, "Cung cấp thêm bản ở định dạng mở (CSV, JSON, ODS).",
                        "Also provide a non-proprietary format (CSV, JSON, ODS)."),
    "machine_readable": ("interoperability", 20,
                         "Cung cấp thêm bản máy đọc được (CSV, JSON) thay cho PDF/HTML.",
                         "Also provide a machine-readable format (CSV, JSON) instead of PDF/HTML."),
    "dcat_ap_compliant": ("interoperability", 30,
                          "Sửa siêu dữ liệu để DCAT-AP 3 không còn lỗi SHACL.",
                          "Fix the metadata so that DCAT-AP 3 has no SHACL violation."),
    "licence": ("reusability", 20, "Chọn giấy phép trong danh sách của cổng.",
                "Choose a licence from the portal's list."),
    "licence_vocabulary": ("reusability", 10, "Chọn giấy phép mở có trong danh mục giấy phép EU (vd. CC BY 4.0).",
                           "Choose an open licence from the EU licence vocabulary (e.g. CC BY 4.0)."),
    "access_rights": ("reusability", 10, "Chọn mức độ chia sẻ dữ liệu.",
                      "Choose the data classification (access rights)."),
    "access_rights_vocabulary": ("reusability", 5, "Chọn mức độ chia sẻ trong danh sách.",
                                 "Choose a data classification from the list."),
    "contact_point": ("reusability", 20, "Điền thư điện tử liên hệ của bộ dữ liệu hoặc của sở.",
                      "Give a contact e-mail for the dataset or the department."),
    "publisher": ("reusability", 10, "Gắn bộ dữ liệu với đơn vị chủ quản.",
                  "Assign the dataset to its department."),
    "rights": ("contextuality", 5, "Chọn giấy phép để tài nguyên có tuyên bố quyền sử dụng.",
               "Choose a licence so that resources carry a rights statement."),
    "byte_size": ("contextuality", 5, "Tải tệp lên để cổng ghi kích thước tệp.",
                  "Upload files so that the portal records their size."),
    "issued": ("contextuality", 5, "Ngày phát hành chưa có.", "The issue date is missing."),
    "modified": ("contextuality", 5, "Ngày cập nhật chưa có.", "The modification date is missing."),
}

#: indicators earned per distribution (none without a resource)
DISTRIBUTION_INDICATORS: tuple[str, ...] = (
    "access_url_reachable", "download_url", "download_url_reachable", "format", "media_type",
    "format_vocabulary", "non_proprietary", "machine_readable", "rights", "byte_size")
NO_DISTRIBUTION_FIX = ("Thêm tài nguyên: tải tệp dữ liệu lên hoặc cho đường dẫn đến dữ liệu.",
                       "Add a resource: upload the data file or link to the data.")
#: a link indicator before the first link check of the dataset (not an error yet)
NOT_CHECKED_FIX = ("Chưa kiểm tra: lần kiểm tra liên kết định kỳ đầu tiên chưa chạy.",
                   "Not checked yet: the first periodic link check has not run.")

CITY_FIXES: dict[str, tuple[str, str]] = {
    "timeliness": ("Cập nhật dữ liệu theo đúng tần suất đã khai báo.",
                   "Update the data as often as its declared frequency says."),
    "dictionary": ("Điền nhãn tiếng Việt và tiếng Anh cho mọi cột trong từ điển dữ liệu.",
                   "Give every column of the data dictionary a Vietnamese and an English label."),
    "privacy_report": ("Xuất bản qua bộ thu thập hoặc tải tệp để có báo cáo bảo vệ dữ liệu cá nhân.",
                       "Publish through a harvester or an upload so that a privacy report exists."),
}


def _share(points: int, passing: int, total: int) -> int:
    return (points * passing) // total if total else 0


def _date(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _timeliness(pkg: dict[str, Any], now: dt.datetime) -> CityIndicator:
    frequency = pkg.get("update_frequency") or ""
    updated = _date(pkg.get("harvested_at")) or _date(pkg.get("metadata_modified"))
    days = vocab.FREQUENCY_DAYS.get(frequency)
    if days is None:
        return CityIndicator(True, f"no deadline for frequency {frequency or '-'}",
                             *CITY_FIXES["timeliness"])
    if updated is None:
        return CityIndicator(False, "never updated", *CITY_FIXES["timeliness"])
    age = (now - updated).days
    return CityIndicator(age <= days, f"updated {age} days ago, due every {days} days",
                         *CITY_FIXES["timeliness"])


def score(pkg: dict[str, Any], facts: Facts) -> QualityReport:
    """The quality report of a package dict (package_show's shape) given `facts`."""
    dists = facts.distributions
    n = len(dists)
    has = {
        "keywords": 30 if pkg.get("tags") else 0,
        "themes": 30 if vocab.theme_uris(pkg.get("type")) else 0,
        "spatial": 20 if pkg.get("admin_units") else 0,
        "temporal": 20 if (pkg.get("temporal_start") or pkg.get("temporal_end")) else 0,
        "access_url_reachable": _share(50, sum(1 for d in dists if d.access and d.access.ok), n),
        "download_url": _share(20, sum(1 for d in dists if d.download_url), n),
        "download_url_reachable": _share(
            30, sum(1 for d in dists if d.download_url and d.download and d.download.ok), n),
        "format": _share(20, sum(1 for d in dists if d.fmt), n),
        "media_type": _share(10, sum(1 for d in dists if d.file_format), n),
        "format_vocabulary": _share(10, sum(1 for d in dists if d.file_format), n),
        "non_proprietary": _share(
            20, sum(1 for d in dists if d.file_format and d.file_format.non_proprietary), n),
        "machine_readable": _share(
            20, sum(1 for d in dists if d.file_format and d.file_format.machine_readable), n),
        "dcat_ap_compliant": 30 if facts.dcat_violations == 0 else 0,
        "licence": 20 if facts.licence_known else 0,
        "licence_vocabulary": 10 if facts.licence_in_vocabulary else 0,
        "access_rights": 10 if pkg.get("data_classification") else 0,
        "access_rights_vocabulary": 5 if vocab.access_rights_uri(
            pkg.get("data_classification")) else 0,
        "contact_point": 20 if facts.has_contact_point else 0,
        "publisher": 10 if pkg.get("owner_org") else 0,
        "rights": _share(5, sum(1 for d in dists if d.has_rights), n),
        "byte_size": _share(5, sum(1 for d in dists if d.has_size), n),
        "issued": 5 if pkg.get("metadata_created") else 0,
        "modified": 5 if pkg.get("metadata_modified") else 0,
    }
    indicators = {name: Indicator(dimension, has[name], maximum, fix_vi, fix_en)
                  for name, (dimension, maximum, fix_vi, fix_en) in SCHEME.items()}
    if not dists:
        for name in DISTRIBUTION_INDICATORS:
            indicators[name].fix_vi, indicators[name].fix_en = NO_DISTRIBUTION_FIX
    unchecked = {
        "access_url_reachable": [d.access for d in dists],
        "download_url_reachable": [d.download for d in dists if d.download_url]}
    for name, statuses in unchecked.items():
        if statuses and all(status is None for status in statuses):
            indicators[name].fix_vi, indicators[name].fix_en = NOT_CHECKED_FIX
    if facts.dcat_violations:
        indicators["dcat_ap_compliant"].fix_en += f" ({facts.dcat_violations} violations)"
        indicators["dcat_ap_compliant"].fix_vi += f" ({facts.dcat_violations} lỗi)"
    city = {"timeliness": _timeliness(pkg, facts.now)}
    if facts.dictionary_complete is not None:
        city["dictionary"] = CityIndicator(facts.dictionary_complete, facts.dictionary_detail,
                                           *CITY_FIXES["dictionary"])
    city["privacy_report"] = CityIndicator(bool(pkg.get("privacy_report")),
                                           "present" if pkg.get("privacy_report") else "missing",
                                           *CITY_FIXES["privacy_report"])
    return QualityReport(indicators, city, facts.now.isoformat(timespec="seconds"))
