"""Template helpers of the search sidebar: facet titles and the order of facet items.

The sidebar is CKAN's (``snippets/facet_list.html``); these helpers only decide
how a facet is titled in the page's language and in which order its items come
(``search.order_facet_items``).
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.smartcity.search import index as search

__all__ = ["get_facet_items_dict", "smartcity_facet_title"]


def smartcity_facet_title(field: str, title: Any) -> str:
    """The facet's title in the page's language: ours for known fields, else CKAN's
    gettext of the title it was given (ckanext-harvest passes bare English)."""
    if field in search.FACET_LABELS:
        return search.facet_label(field)
    return tk._(str(title)) if title else field


@tk.chained_helper
def get_facet_items_dict(next_helper: Callable[..., Any], facet: str,
                         search_facets: dict[str, Any] | None = None,
                         limit: int | None = None,
                         exclude_active: bool = False) -> list[dict[str, Any]]:
    """CKAN's facet items, but years, ICD-10 chapters and VSIC sections in code order.

    The order is applied to all items before the "show more" limit, so the first
    ten years are the ten newest, not the ten most frequent.
    """
    if facet not in search.CODE_ORDERED_FACETS:
        return next_helper(facet, search_facets, limit, exclude_active)
    items = search.order_facet_items(facet, next_helper(facet, search_facets, 0,
                                                        exclude_active))
    if limit is None:
        limit = tk.h.get_param_int(f"_{facet}_limit",
                                   tk.config.get("search.facets.default"))
    return items[:limit] if limit else items
