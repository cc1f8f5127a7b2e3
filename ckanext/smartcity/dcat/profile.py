"""DCAT-AP 3 profile of the smartcity dataset types (a ckanext-dcat RDF profile).

Runs after ``euro_dcat_ap_3`` (config ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
smartcity_dcat_ap``) and makes its output pass the SEMIC DCAT-AP 3.0.0 shapes with the
EU vocabularies (vocab.py):

* ``title``/``title_en``, ``notes``/``notes_en`` → ``@vi``/``@en`` literals; tags with
  Vietnamese letters → ``@vi`` keywords, plus the domain as a keyword in both languages;
* languages, frequency, access rights and data themes as typed EU authority IRIs;
* ``admin_units`` → ``dct:spatial`` IRIs (the portal's code-list look-up) with code and
  vi/en names;
* ``privacy_report`` → a ``dct:provenance`` statement whose ``rdfs:label`` is the privacy
  guard's summary (``@vi`` and ``@en``, from the typed report);
* contact point as ``vcard:Organization`` (also typed ``vcard:Kind``, as the shapes run
  without inference) with e-mail, falling back to the department's address;
* publisher as ``foaf:Agent`` with the department's vi/en names; landing page;
* per distribution: EU file type and IANA media type IRIs, ``dct:license`` (the licence's
  canonical URL, ``skos:exactMatch`` its EU licence IRI), ``dct:rights``, access URL (the
  resource page for uploads) and download URL, ``spdx:Checksum`` with algorithm and hex.

Decisions: the generic profiles' literals are replaced rather than kept next to the IRIs,
so a harvesting portal sees one value per property.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rdflib.term import Node

from ckanext.dcat.profiles import (DCAT, DCT, FOAF, RDF, SKOS, SPDX, VCARD,
                                   RDFProfile)
from ckanext.dcat.utils import resource_uri

from ckanext.smartcity.reference import labels, licenses
from ckanext.smartcity.reference.lists import as_list
from ckanext.smartcity.dcat import vocab
from ckanext.smartcity.dcat.vocab import access_rights_uri, frequency_uri  # noqa: F401
from ckanext.smartcity.privacy.record import PrivacyReport

_HEX = re.compile(r"^[0-9a-fA-F]+$")


class _PrefixedHashWarning(logging.Filter):
    """The generic profile writes CKAN's ``sha256:<hex>`` hash as xsd:hexBinary and rdflib
    logs a traceback for it; this profile replaces that literal, so the noise is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "hexBinary" not in record.getMessage()


logging.getLogger("rdflib.term").addFilter(_PrefixedHashWarning())


def site_url() -> str:
    import ckan.plugins.toolkit as tk

    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def dataset_page(dataset_dict: dict[str, Any]) -> str:
    """The dataset's page, named by type and name (its landing page)."""
    return f"{site_url()}/{dataset_dict.get('type') or 'dataset'}/{dataset_dict['name']}"


def admin_unit_uri(code: str) -> URIRef:
    """The IRI of a commune-level unit: the portal's code-list look-up of that code."""
    return URIRef(f"{site_url()}/api/3/action/smartcity_admin_units?code={code}")


def distribution_urls(dataset_dict: dict[str, Any], resource: dict[str, Any]
                      ) -> tuple[str, str | None]:
    """(access URL, download URL or None) of a resource as DCAT writes them.

    An uploaded or DataStore resource is accessed through its page on the portal and
    downloaded from its file; a link is accessed at its URL, and downloaded there too
    when its format is a known file type.
    """
    url = resource.get("url") or None
    if resource.get("url_type") == "upload" or resource.get("datastore_active"):
        return f"{dataset_page(dataset_dict)}/resource/{resource['id']}", url
    known = vocab.file_format(resource.get("format"), resource.get("mimetype")) is not None
    return url or dataset_page(dataset_dict), (url if known else None)


def split_hash(value: str | None) -> tuple[URIRef, str] | None:
    """(SPDX algorithm, hex digest) of a resource hash (``sha256:<hex>`` or bare hex)."""
    text = (value or "").strip()
    algorithm, _, digest = text.rpartition(":")
    if algorithm.lower() not in ("", "sha256") or not _HEX.match(digest or "-"):
        return None
    if len(digest) != 64:
        return None
    return vocab.SPDX_SHA256, digest.lower()


class SmartcityDCATProfile(RDFProfile):
    """Adds the smartcity fields to a DCAT-AP dataset graph (serialisation only)."""

    _departments: dict[str, dict[str, Any]]

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Parsing is left to the DCAT-AP profiles (this portal publishes, it does not import)."""
        return dataset_dict

    # ------------------------------------------------------------ catalogue

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        """Typed languages, a publisher (the city), vi/en title and a typed homepage."""
        import ckan.plugins.toolkit as tk

        self._set_languages(catalog_ref)
        for homepage in self.g.objects(catalog_ref, FOAF.homepage):
            self.g.add((homepage, RDF.type, FOAF.Document))
        title = tk.config.get("ckan.site_title") or ""
        self._replace_literals(catalog_ref, DCT.title,
                               [Literal(title, lang="vi"),
                                Literal(vocab.CATALOG_TITLE_EN, lang="en")])
        description = tk.config.get("ckan.site_description") or title
        self._replace_literals(catalog_ref, DCT.description, [Literal(description, lang="vi")])
        if (catalog_ref, DCT.publisher, None) not in self.g:
            publisher = URIRef(site_url() + "/about")
            self.g.add((catalog_ref, DCT.publisher, publisher))
            self._agent(publisher, *vocab.CATALOG_PUBLISHER)

    # ------------------------------------------------------------ dataset

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """Write the smartcity fields of `dataset_dict` onto `dataset_ref`."""
        self._bilingual(dataset_dict, dataset_ref, DCT.title, "title", "title_en")
        self._bilingual(dataset_dict, dataset_ref, DCT.description, "notes", "notes_en")
        self._keywords(dataset_dict, dataset_ref)
        self._replace_uri(dataset_ref, DCT.accrualPeriodicity,
                          frequency_uri(self._value(dataset_dict, "update_frequency")),
                          DCT.Frequency)
        self._replace_uri(dataset_ref, DCT.accessRights,
                          access_rights_uri(self._value(dataset_dict, "data_classification")),
                          DCT.RightsStatement)
        self._themes(dataset_dict, dataset_ref)
        self._set_languages(dataset_ref)
        self._spatial(dataset_dict, dataset_ref)
        self._temporal_if_missing(dataset_dict, dataset_ref)
        self._contact(dataset_dict, dataset_ref)
        self._publisher(dataset_dict, dataset_ref)
        self._privacy_provenance(dataset_dict, dataset_ref)
        if dataset_dict.get("name") and (dataset_ref, DCAT.landingPage, None) not in self.g:
            page = URIRef(dataset_page(dataset_dict))
            self.g.add((dataset_ref, DCAT.landingPage, page))
            self.g.add((page, RDF.type, FOAF.Document))
        for resource in dataset_dict.get("resources") or []:
            self._distribution(dataset_dict, resource, URIRef(resource_uri(resource)))

    # ------------------------------------------------------------ helpers

    def _value(self, dataset_dict: dict[str, Any], key: str) -> Any:
        value = self._get_dataset_value(dataset_dict, key)
        return value.strip() if isinstance(value, str) else value

    def _replace_literals(self, subject: Node, predicate: URIRef,
                          literals: list[Literal]) -> None:
        for obj in list(self.g.objects(subject, predicate)):
            if isinstance(obj, Literal):
                self.g.remove((subject, predicate, obj))
        for literal in literals:
            if str(literal):
                self.g.add((subject, predicate, literal))

    def _bilingual(self, dataset_dict: dict[str, Any], subject: Node, predicate: URIRef,
                   key_vi: str, key_en: str) -> None:
        text_vi = self._value(dataset_dict, key_vi)
        text_en = self._value(dataset_dict, key_en)
        if text_vi or text_en:
            self._replace_literals(subject, predicate,
                                   [Literal(text_vi or "", lang="vi"),
                                    Literal(text_en or "", lang="en")])

    def _keywords(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        tags = [t["name"] for t in dataset_dict.get("tags") or [] if t.get("name")]
        # a tag with Vietnamese letters is Vietnamese; an ASCII tag may be either language
        literals = [Literal(tag, lang="vi") if not tag.isascii() else Literal(tag)
                    for tag in tags]
        kind = dataset_dict.get("type")
        if kind in vocab.THEMES:
            literals += [Literal(labels.domain_label(kind, "vi"), lang="vi"),
                         Literal(labels.domain_label(kind, "en"), lang="en")]
        self._replace_literals(dataset_ref, DCAT.keyword, literals)

    def _replace_uri(self, subject: Node, predicate: URIRef, uri: URIRef | None,
                     rdf_class: URIRef) -> None:
        if uri is None:
            return
        for obj in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, obj))
        self.g.add((subject, predicate, uri))
        self.g.add((uri, RDF.type, rdf_class))

    def _privacy_provenance(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        stored = dataset_dict.get("privacy_report")
        if not stored:
            return
        try:
            report = PrivacyReport.from_dict(stored)
        except ValueError:
            return  # a report of another shape is not described rather than guessed
        statement = BNode()
        self.g.add((dataset_ref, DCT.provenance, statement))
        self.g.add((statement, RDF.type, DCT.ProvenanceStatement))
        for lang in ("vi", "en"):
            self.g.add((statement, RDFS.label, Literal(report.summary(lang), lang=lang)))

    def _set_languages(self, subject: Node) -> None:
        for obj in list(self.g.objects(subject, DCT.language)):
            self.g.remove((subject, DCT.language, obj))
        for uri in vocab.language_uris():
            self.g.add((subject, DCT.language, uri))
            self.g.add((uri, RDF.type, DCT.LinguisticSystem))

    def _themes(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for uri in vocab.theme_uris(dataset_dict.get("type")):
            label_vi, label_en = vocab.THEME_LABELS[str(uri).rsplit("/", 1)[-1]]
            self.g.add((dataset_ref, DCAT.theme, uri))
            self.g.add((uri, RDF.type, SKOS.Concept))
            self.g.add((uri, SKOS.inScheme, vocab.DATA_THEME_SCHEME))
            self.g.add((uri, SKOS.prefLabel, Literal(label_vi, lang="vi")))
            self.g.add((uri, SKOS.prefLabel, Literal(label_en, lang="en")))

    def _spatial(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        codes = as_list(self._value(dataset_dict, "admin_units"))
        at = (self._value(dataset_dict, "reference_date")
              or self._value(dataset_dict, "temporal_end")
              or self._value(dataset_dict, "temporal_start"))
        for code in codes:
            location = admin_unit_uri(code)
            self.g.add((dataset_ref, DCT.spatial, location))
            self.g.add((location, RDF.type, DCT.Location))
            self.g.add((location, DCT.identifier, Literal(code)))
            self.g.add((location, SKOS.notation, Literal(code)))
            name_vi = labels.admin_unit_name(code, at, lang="vi")
            name_en = labels.admin_unit_name(code, at, lang="en")
            self.g.add((location, SKOS.prefLabel, Literal(name_vi, lang="vi")))
            if name_en != name_vi:
                self.g.add((location, SKOS.prefLabel, Literal(name_en, lang="en")))

    def _temporal_if_missing(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        start = self._value(dataset_dict, "temporal_start")
        end = self._value(dataset_dict, "temporal_end")
        if not (start or end):
            return
        for period in self.g.objects(dataset_ref, DCT.temporal):
            if (period, DCAT.startDate, None) in self.g or (period, DCAT.endDate, None) in self.g:
                return
        period = BNode()
        self.g.add((dataset_ref, DCT.temporal, period))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        if start:
            self._add_date_triple(period, DCAT.startDate, start)
        if end:
            self._add_date_triple(period, DCAT.endDate, end)

    def _department(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The department with its schema fields (title_en, contact_email), cached."""
        import ckan.plugins.toolkit as tk

        org = dataset_dict.get("organization") or {}
        if not org.get("id"):
            return org
        if not hasattr(self, "_departments"):
            self._departments = {}
        if org["id"] not in self._departments:
            try:
                self._departments[org["id"]] = tk.get_action("organization_show")(
                    {"ignore_auth": True}, {"id": org["id"], "include_datasets": False,
                                            "include_users": False, "include_groups": False,
                                            "include_extras": True, "include_tags": False,
                                            "include_followers": False})
            except tk.ObjectNotFound:
                self._departments[org["id"]] = org
        return self._departments[org["id"]]

    def _contact(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        department = self._department(dataset_dict)
        name = self._value(dataset_dict, "contact_name") or department.get("title")
        email = self._value(dataset_dict, "contact_email") or department.get("contact_email")
        contacts = list(self.g.objects(dataset_ref, DCAT.contactPoint))
        if not contacts and (name or email):
            contacts = [BNode()]
            self.g.add((dataset_ref, DCAT.contactPoint, contacts[0]))
            if name:
                self.g.add((contacts[0], VCARD.fn, Literal(name)))
        for contact in contacts:
            self.g.add((contact, RDF.type, VCARD.Organization))
            self.g.add((contact, RDF.type, VCARD.Kind))
            if email and (contact, VCARD.hasEmail, None) not in self.g:
                self.g.add((contact, VCARD.hasEmail, URIRef(self._add_mailto(email))))

    def _agent(self, agent: Node, name_vi: str, name_en: str | None) -> None:
        self.g.add((agent, RDF.type, FOAF.Agent))
        self._replace_literals(agent, FOAF.name, [Literal(name_vi, lang="vi")]
                               + ([Literal(name_en, lang="en")] if name_en else []))

    def _publisher(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        department = self._department(dataset_dict)
        if not department.get("title"):
            return
        publishers = list(self.g.objects(dataset_ref, DCT.publisher))
        if not publishers:
            publishers = [BNode()]
            self.g.add((dataset_ref, DCT.publisher, publishers[0]))
        for publisher in publishers:
            self._agent(publisher, department["title"], department.get("title_en"))

    def _distribution(self, dataset_dict: dict[str, Any], resource: dict[str, Any],
                      ref: URIRef) -> None:
        g = self.g
        fmt = vocab.file_format(resource.get("format"), resource.get("mimetype"))
        for predicate in (DCT["format"], DCAT.mediaType):
            for obj in list(g.objects(ref, predicate)):
                g.remove((ref, predicate, obj))
        if fmt is not None:
            g.add((ref, DCT["format"], fmt.eu_uri))
            g.add((fmt.eu_uri, RDF.type, DCT.MediaTypeOrExtent))
            g.add((ref, DCAT.mediaType, fmt.media_type_uri))
            g.add((fmt.media_type_uri, RDF.type, DCT.MediaType))
        elif resource.get("format"):
            label = BNode()
            g.add((ref, DCT["format"], label))
            g.add((label, RDF.type, DCT.MediaTypeOrExtent))
            g.add((label, RDFS.label, Literal(resource["format"])))

        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for obj in list(g.objects(ref, predicate)):
                g.remove((ref, predicate, obj))
        access, download = distribution_urls(dataset_dict, resource)
        g.add((ref, DCAT.accessURL, URIRef(access)))
        g.add((URIRef(access), RDF.type, RDFS.Resource))
        if download:
            g.add((ref, DCAT.downloadURL, URIRef(download)))
            g.add((URIRef(download), RDF.type, RDFS.Resource))

        self._licence(dataset_dict, ref)
        self._checksum(resource, ref)

    def _licence(self, dataset_dict: dict[str, Any], ref: URIRef) -> None:
        license_id = dataset_dict.get("license_id")
        page = licenses.url(license_id)
        for obj in list(self.g.objects(ref, DCT.license)):
            self.g.remove((ref, DCT.license, obj))
        if not page:
            return
        document = URIRef(page)
        self.g.add((ref, DCT.license, document))
        self.g.add((document, RDF.type, DCT.LicenseDocument))
        eu = licenses.eu_uri(license_id)
        if eu:
            self.g.add((document, SKOS.exactMatch, URIRef(eu)))
        for lang in ("vi", "en"):
            self.g.add((document, RDFS.label, Literal(licenses.title(license_id, lang),
                                                      lang=lang)))
        rights = BNode()
        self.g.add((ref, DCT.rights, rights))
        self.g.add((rights, RDF.type, DCT.RightsStatement))
        self.g.add((rights, RDFS.label, Literal(
            "Sử dụng lại theo giấy phép " + licenses.title(license_id, "vi"), lang="vi")))
        self.g.add((rights, RDFS.label, Literal(
            "Reuse under the licence " + licenses.title(license_id, "en"), lang="en")))

    def _checksum(self, resource: dict[str, Any], ref: URIRef) -> None:
        for checksum in list(self.g.objects(ref, SPDX.checksum)):
            self.g.remove((ref, SPDX.checksum, checksum))
            self.g.remove((checksum, None, None))
        parsed = split_hash(resource.get("hash"))
        if parsed is None:
            return
        algorithm, digest = parsed
        checksum = BNode()
        self.g.add((ref, SPDX.checksum, checksum))
        self.g.add((checksum, RDF.type, SPDX.Checksum))
        self.g.add((checksum, SPDX.algorithm, algorithm))
        self.g.add((algorithm, RDF.type, SPDX.ChecksumAlgorithm))
        self.g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
