"""The researcher's portal, as a real server with the demo harvested, in headless Chromium:
Vietnamese pages without English UI strings, English pages with the datasets' English
text, commune search, the citation block, the commune picker; screenshots of the home,
search, dataset and resource pages in both languages are kept in .test/screenshots/."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".test" / "screenshots"


def _crawl_module() -> Any:
    path = Path(__file__).resolve().parents[1] / "i18n" / "crawl.py"
    spec = importlib.util.spec_from_file_location("smartcity_i18n_crawl", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def _table_dataset(portal) -> tuple[dict[str, Any], dict[str, Any]]:
    """A harvested dataset with an English title and a DataStore table."""
    found = portal.action("package_search", {"rows": 100, "fq": "-dataset_type:harvest"},
                          token=None, method="GET")
    for dataset in found["results"]:
        for resource in dataset["resources"]:
            if resource.get("datastore_active") and dataset.get("title_en"):
                return dataset, resource
    pytest.fail("the demo harvest published no dataset with a DataStore table")


def _shot(browser, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 900), 6000))
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    browser.set_window_size(1280, 2000)
    return path


def _click(browser, element_id: str) -> None:
    """Click a control the way a user reaches it (scrolled into view, past sticky bars)."""
    browser.execute_script("const el = document.getElementById(arguments[0]);"
                           "el.scrollIntoView({block: 'center'}); el.click();", element_id)


def test_pages_in_both_languages_with_screenshots(portal, browser):
    from selenium.webdriver.common.by import By

    dataset, resource = _table_dataset(portal)
    page = f"/{dataset['type']}/{dataset['name']}"
    pages = {"home": "/", "search": "/dataset/", "dataset": page,
             "resource": f"{page}/resource/{resource['id']}"}
    for lang, prefix in (("vi", ""), ("en", "/en")):
        for name, path in pages.items():
            browser.get(portal.url + prefix + path)
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            assert _shot(browser, f"{name}-{lang}").stat().st_size > 10_000

    browser.get(f"{portal.url}/en{page}")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text.strip().startswith(
        dataset["title_en"])
    assert browser.title.startswith(dataset["title_en"])
    browser.get(f"{portal.url}{page}")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text.strip().startswith(
        dataset["title"])
    browser.get(f"{portal.url}/")
    assert browser.find_element(By.CSS_SELECTOR, ".smartcity-brand img").get_attribute(
        "src").endswith("/smartcity/logo.svg")
    assert browser.find_elements(By.CSS_SELECTOR, "#smartcity-recent li[data-dataset]")


def test_vietnamese_pages_of_the_harvested_portal_have_no_english_ui_strings(portal):
    crawl = _crawl_module()
    catalogue = crawl.english_catalogue()
    session = portal.login()
    dataset, resource = _table_dataset(portal)
    page = f"/{dataset['type']}/{dataset['name']}"
    org = dataset["organization"]["name"]
    source = portal.sources[0]
    paths = ["/", "/about", "/developers", "/dataset/", f"/{dataset['type']}/",
             "/dataset/?q=H%E1%BA%A3i+Ch%C3%A2u", page, f"{page}/resource/{resource['id']}",
             f"/dataset/activity/{dataset['name']}", "/organization/", f"/organization/{org}",
             "/group/", "/harvest/", f"/harvest/{source}", f"/harvest/{source}/job",
             f"/{dataset['type']}/new", f"/{dataset['type']}/edit/{dataset['name']}",
             f"{page}/resource/new"]
    groups = portal.action("group_list", {}, token=None, method="GET")
    paths += [f"/group/{g}" for g in groups[:2]]
    found, chunks = {}, 0
    for path in paths:
        answer = session.get(portal.url + path, timeout=120)
        assert answer.status_code == 200, path
        lang, text = crawl.visible_text(answer.text)
        assert lang == "vi", path
        chunks += len(text)
        hits = crawl.untranslated(answer.text, catalogue)
        if hits:
            found[path] = sorted({t for t, _ in hits})
    print(f"e2e crawl: {len(paths)} pages, {chunks} text chunks, "
          f"{sum(len(v) for v in found.values())} untranslated")
    assert found == {}


def test_commune_search_with_and_without_diacritics(portal, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    counts = {}
    for query in ("Hải Châu", "hai chau"):
        browser.get(f"{portal.url}/dataset/")
        box = browser.find_element(By.ID, "field-giant-search")
        box.send_keys(query + Keys.RETURN)
        browser.find_element(By.CSS_SELECTOR, ".search-form h1, .search-form h2")
        counts[query] = len(browser.find_elements(By.CSS_SELECTOR, ".dataset-item"))
    assert counts["Hải Châu"] > 0 and counts["Hải Châu"] == counts["hai chau"]
    api = portal.action("package_search", {"q": "Hải Châu"}, token=None, method="GET")
    assert api["count"] > 0


def test_cite_block_copies(portal, browser):
    from selenium.webdriver.common.by import By

    dataset, _resource = _table_dataset(portal)
    browser.get(f"{portal.url}/{dataset['type']}/{dataset['name']}")
    text = browser.find_element(By.ID, "cite-text").text
    assert dataset["title"] in text and dataset["organization"]["title"] in text
    button = browser.find_element(By.CSS_SELECTOR, '[data-smartcity-copy="cite-text"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                           button)
    assert button.get_attribute("data-copied") == "true"
    bibtex = browser.find_element(By.ID, "cite-bibtex").get_attribute("value")
    assert bibtex.startswith("@misc{") and dataset["title"] in bibtex


def test_commune_picker_searches_and_picks_the_whole_city(portal, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{portal.url}/user/login?came_from=/health/new")
    browser.find_element(By.ID, "field-login").send_keys(portal.admin)
    browser.find_element(By.ID, "field-password").send_keys(portal.password + Keys.RETURN)
    WebDriverWait(browser, 30).until(lambda d: "/user/login" not in d.current_url)
    browser.get(f"{portal.url}/health/new")

    def visible() -> list[str]:
        return browser.execute_script(
            "return Array.from(document.getElementById('field-admin_units').options)"
            ".filter(o => !o.hidden).map(o => o.value);")

    offered = visible()
    assert len(offered) == 95  # the city and its 94 current communes and wards
    search = browser.find_element(By.ID, "field-admin_units-search")
    search.send_keys("hai van")
    assert visible() == ["20194"]
    search.clear()
    browser.execute_script("document.getElementById('field-admin_units-search')"
                           ".dispatchEvent(new Event('input'));")
    _click(browser, "field-admin_units-historical")
    assert len(visible()) > 95  # pre-2025 units on request
    _click(browser, "field-admin_units-whole-city")
    selected = browser.execute_script(
        "return Array.from(document.getElementById('field-admin_units').selectedOptions)"
        ".map(o => o.value);")
    assert len(selected) == 94 and "48" not in selected
