"""URL names from Vietnamese titles: "Số ca mắc sốt xuất huyết" → ``so-ca-mac-sot-xuat-huyet``.

Marks are dropped after canonical decomposition (NFD), so stacked tone and vowel marks
(ế, ự, ở …) and the horn of ư and ơ go; đ/Đ, which do not decompose, become d. What is
left outside ``a-z0-9`` becomes a hyphen. public/smartcity/slug.js does the same in the
form's URL preview (CKAN's own slugify turns each marked letter into a hyphen).
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["vi_slug", "MAX_LENGTH"]

MAX_LENGTH = 100  # CKAN's PACKAGE_NAME_MAX_LENGTH


def vi_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """Lower-case ASCII letters, digits and single hyphens, at most ``max_length`` long."""
    plain = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug[:max_length].rstrip("-")
