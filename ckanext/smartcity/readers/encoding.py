"""Text encoding detection for departmental CSV files (no CKAN imports).

Vietnamese files arrive as UTF-8, UTF-8 with BOM, UTF-16 (Excel's "Unicode text"),
or the legacy Windows-1258 code page, which writes most tone marks as *combining*
characters (so text is normalised to NFC after decoding).

Decisions: a byte-order mark wins; then strict UTF-8 on the sample; then
charset-normalizer. If charset-normalizer names a Western single-byte code page
(cp1252, latin-1 ...) and cp1258 also decodes the sample, cp1258 is used: the two
share most bytes and a Vietnamese portal's files are far more likely cp1258.
"""
from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

__all__ = ["SAMPLE_BYTES", "decode_sample", "detect_encoding", "nfc", "python_codec"]

SAMPLE_BYTES = 64 * 1024

_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp850",
                      "mac_roman", "iso8859_2", "iso8859_9", "cp1254"})


def python_codec(name: str) -> str:
    """The canonical Python codec name (``LookupError`` if unknown)."""
    return codecs.lookup(name).name


def detect_encoding(sample: bytes) -> str:
    """Guess the encoding of a file from its first bytes (a Python codec name)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(sample).best()
    guess = python_codec(best.encoding) if best is not None else "cp1258"
    if guess in _WESTERN or guess == "cp1258":
        try:
            decode_sample(sample, "cp1258")
            return "cp1258"
        except UnicodeDecodeError:
            pass
    return guess


def decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a sample that may end inside a multi-byte character (strict otherwise)."""
    return codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=False)


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (cheap for ASCII and already-composed text)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
