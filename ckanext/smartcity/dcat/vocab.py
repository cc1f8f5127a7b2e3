"""The portal's values mapped to the EU controlled vocabularies DCAT-AP 3 asks for.

One table per vocabulary; the RDF profile and the quality score both read them, so a
format counts as "from a vocabulary" exactly when DCAT emits it as a vocabulary IRI.

Decisions:
* Data themes per dataset type (EU data-theme authority): population → SOCI (population
  and society), health → HEAL, education → EDUC, enterprise → ECON (economy and finance),
  land → REGI and ENVI (land use is regional planning and the department is the
  Department of Agriculture and Environment, so both apply).
* Formats: the EU file-type code, the IANA media type and the two MQA flags
  (non-proprietary, machine-readable) live together in :data:`FORMATS`; a format missing
  there is written as a plain literal and scores no interoperability points.
* Access rights from ``data_classification``: open → PUBLIC, internal → NON_PUBLIC,
  restricted → RESTRICTED.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

EU = "http://publications.europa.eu/resource/authority/"
FREQUENCY_BASE = EU + "frequency/"
ACCESS_RIGHT_BASE = EU + "access-right/"
LANGUAGE_BASE = EU + "language/"
FILE_TYPE_BASE = EU + "file-type/"
DATA_THEME_BASE = EU + "data-theme/"
LICENCE_BASE = EU + "licence/"
IANA_BASE = "http://www.iana.org/assignments/media-types/"
DATA_THEME_SCHEME = URIRef(EU + "data-theme")
SPDX_SHA256 = URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha256")

#: Languages of every dataset and of the catalogue: Vietnamese first, English alongside.
LANGUAGES: tuple[str, ...] = ("VIE", "ENG")

#: update_frequency → EU frequency code.
FREQUENCY: dict[str, str] = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}

#: update_frequency → the days after which a dataset is overdue (city timeliness
#: indicator); irregular and never have no deadline.
FREQUENCY_DAYS: dict[str, int] = {
    "daily": 2, "weekly": 8, "monthly": 32, "quarterly": 93, "semiannual": 184,
    "annual": 366,
}

#: data_classification → EU access-right code.
ACCESS_RIGHTS: dict[str, str] = {
    "open": "PUBLIC",
    "restricted": "RESTRICTED",
    "internal": "NON_PUBLIC",
}

#: dataset type → EU data-theme codes.
THEMES: dict[str, tuple[str, ...]] = {
    "population": ("SOCI",),
    "health": ("HEAL",),
    "education": ("EDUC",),
    "enterprise": ("ECON",),
    "land": ("REGI", "ENVI"),
}

#: EU data-theme code → (Vietnamese, English) label (skos:prefLabel of the theme).
THEME_LABELS: dict[str, tuple[str, str]] = {
    "SOCI": ("Dân số và xã hội", "Population and society"),
    "HEAL": ("Y tế", "Health"),
    "EDUC": ("Giáo dục, văn hóa và thể thao", "Education, culture and sport"),
    "ECON": ("Kinh tế và tài chính", "Economy and finance"),
    "REGI": ("Vùng và đô thị", "Regions and cities"),
    "ENVI": ("Môi trường", "Environment"),
}

#: The catalogue's publisher and its names (the city, on behalf of its departments).
CATALOG_PUBLISHER: tuple[str, str] = ("Ủy ban nhân dân thành phố Đà Nẵng",
                                      "Da Nang City People's Committee")
CATALOG_TITLE_EN = "Da Nang open data portal"


@dataclass(frozen=True)
class FileFormat:
    """A distribution format in the EU file-type and IANA vocabularies."""

    eu_code: str
    media_type: str
    non_proprietary: bool
    machine_readable: bool

    @property
    def eu_uri(self) -> URIRef:
        return URIRef(FILE_TYPE_BASE + self.eu_code)

    @property
    def media_type_uri(self) -> URIRef:
        return URIRef(IANA_BASE + self.media_type)


#: CKAN format label (upper case) → file format.
FORMATS: dict[str, FileFormat] = {
    "CSV": FileFormat("CSV", "text/csv", True, True),
    "XLSX": FileFormat("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       False, True),
    "XLS": FileFormat("XLS", "application/vnd.ms-excel", False, True),
    "ODS": FileFormat("ODS", "application/vnd.oasis.opendocument.spreadsheet", True, True),
    "JSON": FileFormat("JSON", "application/json", True, True),
    "GEOJSON": FileFormat("GEOJSON", "application/geo+json", True, True),
    "XML": FileFormat("XML", "application/xml", True, True),
    "RDF": FileFormat("RDF_XML", "application/rdf+xml", True, True),
    "TTL": FileFormat("RDF_TURTLE", "text/turtle", True, True),
    "JSON-LD": FileFormat("JSON_LD", "application/ld+json", True, True),
    "PDF": FileFormat("PDF", "application/pdf", True, False),
    "HTML": FileFormat("HTML", "text/html", True, False),
    "TXT": FileFormat("TXT", "text/plain", True, False),
    "ZIP": FileFormat("ZIP", "application/zip", True, False),
    "SHP": FileFormat("SHP", "application/vnd.shp", False, True),
    "DOCX": FileFormat("DOCX",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       False, False),
}
_MEDIA_TYPES = {f.media_type: label for label, f in FORMATS.items()}


def file_format(fmt: str | None, mimetype: str | None = None) -> FileFormat | None:
    """The vocabulary entry of a resource's format (label first, then media type)."""
    label = (fmt or "").strip().upper().lstrip(".")
    if label in FORMATS:
        return FORMATS[label]
    label = _MEDIA_TYPES.get((mimetype or "").strip().lower(), "")
    return FORMATS.get(label)


def frequency_uri(value: str | None) -> URIRef | None:
    """EU frequency URI of an ``update_frequency`` value, None if unknown."""
    code = FREQUENCY.get((value or "").strip())
    return URIRef(FREQUENCY_BASE + code) if code else None


def access_rights_uri(value: str | None) -> URIRef | None:
    """EU access-right URI of a ``data_classification`` value, None if unknown."""
    code = ACCESS_RIGHTS.get((value or "").strip())
    return URIRef(ACCESS_RIGHT_BASE + code) if code else None


def theme_uris(dataset_type: str | None) -> list[URIRef]:
    """EU data-theme URIs of a dataset type (empty for a type without a theme)."""
    return [URIRef(DATA_THEME_BASE + code) for code in THEMES.get(dataset_type or "", ())]


def language_uris() -> list[URIRef]:
    """EU language URIs of the portal's languages."""
    return [URIRef(LANGUAGE_BASE + code) for code in LANGUAGES]


def is_vocabulary_uri(value: str | None, base: str) -> bool:
    """True when `value` is an IRI of the vocabulary at `base`."""
    return bool(value) and str(value).startswith(base) and len(str(value)) > len(base)
