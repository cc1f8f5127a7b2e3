"""Find CKAN's and ckanext-harvest's English UI strings left untranslated on a page.

The English side is read from the two projects' own catalogue templates (``ckan.pot``,
``ckanext-harvest.pot``); a msgid with placeholders (``{number} datasets found``,
``%(count)s datasets found.``) becomes a pattern, so "28 datasets found" is caught too.
A page's visible text is its text nodes (not scripts, styles or templates) plus the
placeholders, titles and labels of its controls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import ckan
import ckanext.harvest

#: Strings that are the same in Vietnamese (format and product names).
LANGUAGE_NEUTRAL = frozenset({
    "CSV", "TSV", "JSON", "XML", "RDF", "API", "URL", "X", "Facebook", "CKAN", "OK",
    "Markdown", "DataStore", "SQL", "{actor} {activity_type}", "{key}", "{tag_link}",
    "<q>{key}</q>", "{} not found", "Email",
    "{kibibytes} KiB", "{mebibytes} MiB", "{gibibytes} GiB", "{tebibytes} TiB",
})
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sdr]|\{[^{}]*\}")
_SKIP = {"script", "style", "template", "noscript", "code", "pre", "textarea"}
_ATTRS = ("placeholder", "title", "aria-label", "alt")


def _pot_files() -> list[Path]:
    return [Path(ckan.__file__).parent / "i18n" / "ckan.pot",
            Path(ckanext.harvest.__file__).parent / "i18n" / "ckanext-harvest.pot"]


def _collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Catalogue:
    """The English msgids, as exact strings and as patterns for those with placeholders."""

    exact: set[str] = field(default_factory=set)
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    def match(self, text: str) -> str | None:
        """The msgid `text` is an untranslated rendering of, or None."""
        if text in self.exact:
            return text
        for pattern, msgid in self.patterns:
            if pattern.fullmatch(text):
                return msgid
        return None


def english_catalogue() -> Catalogue:
    """CKAN's and ckanext-harvest's msgids (singular and plural) that carry words."""
    from babel.messages.pofile import read_po

    found = Catalogue()
    for pot in _pot_files():
        with pot.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                for msgid in ids:
                    text = _collapse(re.sub(r"<[^>]+>", " ", msgid or ""))
                    if text in LANGUAGE_NEUTRAL or not re.search(r"[A-Za-z]{2}", text):
                        continue
                    if _PLACEHOLDER.search(text):
                        parts = _PLACEHOLDER.split(text)
                        if not any(re.search(r"[A-Za-z]{2}", p) for p in parts):
                            continue
                        regex = r".+?".join(re.escape(p) for p in parts)
                        found.patterns.append((re.compile(regex, re.S), msgid))
                    else:
                        found.exact.add(text)
    return found


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _Text(HTMLParser):
    """Text nodes outside scripts and outside elements marked as English on purpose
    (``lang="en"``: the English shown alongside the Vietnamese, by design)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, hides its text)
        self.lang: str | None = None

    @property
    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
            return
        english = (values.get("lang") or "").startswith("en")
        if not (self._hidden or english):
            for name in _ATTRS:
                if values.get(name):
                    self.chunks.append(values[name] or "")
            if tag == "input" and values.get("type") in ("submit", "button") \
                    and values.get("value"):
                self.chunks.append(values["value"] or "")
        if tag not in _VOID:
            self._open.append((tag, tag in _SKIP or english))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.chunks.append(data)


def visible_text(html: str) -> tuple[str | None, list[str]]:
    """(the page's ``<html lang>``, its visible text chunks, whitespace collapsed)."""
    parser = _Text()
    parser.feed(html)
    return parser.lang, [t for t in (_collapse(c) for c in parser.chunks) if t]


def untranslated(html: str, catalogue: Catalogue) -> list[tuple[str, str]]:
    """``[(visible text, msgid)]`` for every chunk equal to an English msgid."""
    _lang, chunks = visible_text(html)
    hits = []
    for chunk in chunks:
        msgid = catalogue.match(chunk)
        if msgid is not None:
            hits.append((chunk, msgid))
    return hits
