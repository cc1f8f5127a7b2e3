"""Text encoding detection for departmental CSV files (no CKAN imports).

Vietnamese files arrive as UTF-8, UTF-8 with BOM, UTF-16 (Excel's "Unicode text"),
or the legacy Windows-1258 code page, which writes most tone marks as *combining*
characters (so text is normalised to NFC after decoding).

Decisions: a byte-order mark wins; then strict UTF-8 on the sample; then
charset-normalizer. If charset-normalizer names a Western single-byte code page
(cp1252, latin-1 ...) and cp1258 also decodes the sample, cp1258 is used: the two
share most bytes and a Vietnamese portal's files are far more likely cp1258.

A sample that is *mostly* UTF-8 — its multi-byte UTF-8 characters at least as many as its
invalid bytes — is UTF-8 with damaged bytes, not Windows-1258: ``"utf-8"`` is returned so
the strict reader refuses it at the first invalid byte's line, instead of the fallback
code page turning every Vietnamese letter into mojibake. (Windows-1258 text almost never
forms a valid multi-byte UTF-8 sequence: its letters 0xC0–0xFF are followed by letters,
not by the 0x80–0xBF continuation bytes UTF-8 needs.)
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
    if _mostly_utf8(sample):
        return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    guess = python_codec(best.encoding) if best is not None else "cp1258"
    if guess in _WESTERN or guess == "cp1258":
        try:
            decode_sample(sample, "cp1258")
            return "cp1258"
        except UnicodeDecodeError:
            pass
    return guess


def _mostly_utf8(sample: bytes) -> bool:
    """True when the sample's valid multi-byte UTF-8 characters are at least as many as
    its invalid bytes (one or more of each)."""
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - sample.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return multibyte > 0 and multibyte >= invalid


def decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a sample that may end inside a multi-byte character (strict otherwise)."""
    return codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=False)


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (cheap for ASCII and already-composed text)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
