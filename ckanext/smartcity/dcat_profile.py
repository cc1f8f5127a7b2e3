"""DCAT-AP profile of the smartcity dataset types (a ckanext-dcat RDF profile).

Runs after ``euro_dcat_ap_3`` (config ``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 smartcity_dcat_ap``) and maps what the generic profile does not
know about:

* ``title``/``title_en`` and ``notes``/``notes_en`` → ``dct:title`` and
  ``dct:description`` as ``@vi`` and ``@en`` literals;
* ``update_frequency`` → ``dct:accrualPeriodicity`` (EU frequency authority);
* ``data_classification`` → ``dct:accessRights`` (EU access-right authority);
* ``admin_units`` → ``dct:spatial`` locations with code and names;
* ``privacy_report`` → a ``dct:provenance`` statement whose ``rdfs:label`` is the
  privacy guard's summary (``@vi`` and ``@en``, from the typed report);
* ``temporal_start``/``temporal_end``, ``contact_*`` and the department as
  publisher are already written by the DCAT-AP profiles; they are added here
  only when missing, so the profile also stands on its own.
"""
from __future__ import annotations

from typing import Any

from rdflib import RDFS, BNode, Literal, URIRef
from rdflib.term import Node

from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, SKOS, VCARD, RDFProfile

from ckanext.smartcity import search
from ckanext.smartcity.privacy.record import PrivacyReport

FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
ACCESS_RIGHT_BASE = "http://publications.europa.eu/resource/authority/access-right/"
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"

#: update_frequency → EU frequency vocabulary code.
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

#: data_classification → EU access-right code.
ACCESS_RIGHTS: dict[str, str] = {
    "open": "PUBLIC",
    "restricted": "RESTRICTED",
    "internal": "NON_PUBLIC",
}


def frequency_uri(value: str | None) -> URIRef | None:
    """EU frequency URI of an ``update_frequency`` value, None if unknown."""
    code = FREQUENCY.get((value or "").strip())
    return URIRef(FREQUENCY_BASE + code) if code else None


def access_rights_uri(value: str | None) -> URIRef | None:
    """EU access-right URI of a ``data_classification`` value, None if unknown."""
    code = ACCESS_RIGHTS.get((value or "").strip())
    return URIRef(ACCESS_RIGHT_BASE + code) if code else None


class SmartcityDCATProfile(RDFProfile):
    """Adds the smartcity fields to a DCAT-AP dataset graph (serialisation only)."""

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Parsing is left to the DCAT-AP profiles (this portal publishes, it does not import)."""
        return dataset_dict

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        """Declare the catalogue's languages: Vietnamese first, English alongside."""
        for code in ("VIE", "ENG"):
            self.g.add((catalog_ref, DCT.language, URIRef(LANGUAGE_BASE + code)))

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """Write the smartcity fields of `dataset_dict` onto `dataset_ref`."""
        self._bilingual(dataset_dict, dataset_ref, DCT.title, "title", "title_en")
        self._bilingual(dataset_dict, dataset_ref, DCT.description, "notes", "notes_en")
        self._replace_uri(dataset_ref, DCT.accrualPeriodicity,
                          frequency_uri(self._value(dataset_dict, "update_frequency")),
                          DCT.Frequency)
        self._replace_uri(dataset_ref, DCT.accessRights,
                          access_rights_uri(self._value(dataset_dict, "data_classification")),
                          DCT.RightsStatement)
        self._spatial(dataset_dict, dataset_ref)
        self._temporal_if_missing(dataset_dict, dataset_ref)
        self._contact_if_missing(dataset_dict, dataset_ref)
        self._publisher_if_missing(dataset_dict, dataset_ref)
        self._privacy_provenance(dataset_dict, dataset_ref)
        for code in ("VIE", "ENG"):
            self.g.add((dataset_ref, DCT.language, URIRef(LANGUAGE_BASE + code)))

    # ------------------------------------------------------------ helpers

    def _value(self, dataset_dict: dict[str, Any], key: str) -> Any:
        value = self._get_dataset_value(dataset_dict, key)
        return value.strip() if isinstance(value, str) else value

    def _bilingual(self, dataset_dict: dict[str, Any], subject: Node, predicate: URIRef,
                   key_vi: str, key_en: str) -> None:
        text_vi = self._value(dataset_dict, key_vi)
        text_en = self._value(dataset_dict, key_en)
        if not (text_vi or text_en):
            return
        # the generic profile wrote the Vietnamese text without a language tag
        for obj in list(self.g.objects(subject, predicate)):
            if isinstance(obj, Literal) and not obj.language:
                self.g.remove((subject, predicate, obj))
        if text_vi:
            self.g.add((subject, predicate, Literal(text_vi, lang="vi")))
        if text_en:
            self.g.add((subject, predicate, Literal(text_en, lang="en")))

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

    def _spatial(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        from ckanext.smartcity.helpers import smartcity_admin_unit_name

        codes = search.as_list(self._value(dataset_dict, "admin_units"))
        at = (self._value(dataset_dict, "reference_date")
              or self._value(dataset_dict, "temporal_end")
              or self._value(dataset_dict, "temporal_start"))
        for code in codes:
            location = BNode()
            self.g.add((dataset_ref, DCT.spatial, location))
            self.g.add((location, RDF.type, DCT.Location))
            self.g.add((location, DCT.identifier, Literal(code)))
            self.g.add((location, SKOS.notation, Literal(code)))
            name_vi = smartcity_admin_unit_name(code, at, lang="vi")
            name_en = smartcity_admin_unit_name(code, at, lang="en")
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

    def _contact_if_missing(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        name = self._value(dataset_dict, "contact_name")
        email = self._value(dataset_dict, "contact_email")
        if not (name or email) or (dataset_ref, DCAT.contactPoint, None) in self.g:
            return
        contact = BNode()
        self.g.add((dataset_ref, DCAT.contactPoint, contact))
        self.g.add((contact, RDF.type, VCARD.Organization))
        if name:
            self.g.add((contact, VCARD.fn, Literal(name)))
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef(self._add_mailto(email))))

    def _publisher_if_missing(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        org = dataset_dict.get("organization") or {}
        if not org.get("title") or (dataset_ref, DCT.publisher, None) in self.g:
            return
        publisher = BNode()
        self.g.add((dataset_ref, DCT.publisher, publisher))
        self.g.add((publisher, RDF.type, FOAF.Agent))
        self.g.add((publisher, FOAF.name, Literal(org["title"])))
