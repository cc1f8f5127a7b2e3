"""A resident on a 390 px phone never scrolls sideways (issue 22, mobile).

CKAN's rows pull 12 px out on each side while its container padded only 6 px: every page
was 6 px wider than the screen. Checked in Chromium on the pages residents open most,
in both languages.
"""
from __future__ import annotations

import pytest

PAGES = ["/", "/dataset/", "/organization/", "/about", "/developers", "/downloads",
         "/dataset/giao-duc-theo-xa-cap-hoc-2026-2027"]


@pytest.mark.browser
def test_no_page_is_wider_than_a_390px_screen(portal, browser):
    browser.set_window_size(390, 900)
    wider = []
    for language in ("", "/en"):
        for path in PAGES:
            browser.get(portal.url + language + path)
            seen, screen = browser.execute_script(
                "return [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]")
            if seen > screen:
                wider.append((language + path, seen, screen))
    assert not wider, wider
