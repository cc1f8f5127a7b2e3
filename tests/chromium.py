"""Headless Chromium for the browser tests (Debian's chromium + chromedriver via Selenium).

One definition for tests/ui/ and tests/e2e/: loopback only, a fresh profile per test, and
Selenium Manager kept offline so it never downloads a driver or sends statistics.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
         "--window-size=1280,2000", "--lang=vi")


def installed() -> bool:
    """True when Debian's chromium and chromedriver are present."""
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


@contextmanager
def headless_chromium(profile_dir: Path) -> Iterator[Any]:
    """A Selenium WebDriver on headless Chromium with its profile in ``profile_dir``."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile_dir}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
