"""`glossary serve` in a real headless browser (Debian's chromium and chromium-driver, driven by
Selenium pointed at /usr/bin/chromedriver): search as you type, open an entry, review it,
download the workbook and upload an edited one, and hostile text shown as text.

Skips where no browser is installed, except when GLOSSARY_REQUIRE_BROWSER is set (CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from openpyxl import load_workbook

from web_support import HOSTILE_IMAGE, HOSTILE_SCRIPT, HOSTILE_TERM, termbase_copy

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
WAIT = 15


def _missing() -> str | None:
    try:
        import flask  # noqa: F401
        import selenium  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[test]')"
    for path in (CHROMEDRIVER, CHROMIUM):
        if not os.path.exists(path):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("GLOSSARY_REQUIRE_BROWSER"):
            pytest.fail(f"a browser is required here (GLOSSARY_REQUIRE_BROWSER is set): {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1200,900", "--lang=en-US"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """`glossary serve` on a free port, over a copy of the seeds' termbase."""
    if _missing():
        pytest.skip(_missing())
    db = termbase_copy(built[0], tmp_path_factory.mktemp("served"))
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "glossary.cli", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/api/search?q=lgwh", timeout=5).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("glossary serve did not start: " + process.stdout.read())
            time.sleep(0.2)
    yield base, db
    process.terminate()
    process.wait(timeout=10)


def _wait(driver, condition, timeout=WAIT):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A form's submit replaces the page while the condition may still hold an element of the
    # old one: that element going stale means "not yet", as a missing one does.
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(lambda d: condition(d))


def _first_result(driver) -> str:
    from selenium.webdriver.common.by import By

    terms = driver.find_elements(By.CSS_SELECTOR, "#results li .term")
    return terms[0].text if terms else ""


def test_search_as_you_type_then_keyboard_to_the_entry(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = server
    browser.get(base + "/")
    box = browser.find_element(By.ID, "q")
    for query in ("兩個維護", "liang ge wei hu", "lgwh"):
        box.clear()
        box.send_keys(query)
        _wait(browser, lambda d: _first_result(d) == "两个维护" and d.find_element(By.ID, "summary").text)
        assert "?q=" in browser.current_url  # a reload or a shared link shows the same
    box.clear()
    box.send_keys("liang3 ge4")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results li")) >= 2)
    second = browser.find_elements(By.CSS_SELECTOR, "#results li .term")[1].text
    box.send_keys(Keys.ARROW_DOWN)
    assert browser.find_elements(By.CSS_SELECTOR, "#results li")[1].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    _wait(browser, lambda d: "/entry/" in d.current_url)
    assert browser.find_element(By.ID, "term").text == second
    browser.get(base + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "q"
    browser.switch_to.active_element.send_keys("lgwh" + Keys.ENTER)  # Enter before the answer: its first entry
    _wait(browser, lambda d: "/entry/" in d.current_url)
    assert browser.find_element(By.ID, "term").text == "两个维护"


def test_review_is_kept_after_a_reload_and_the_name_remembered(browser, server):
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/?q=" + urllib.request.quote("凝聚共识"))
    browser.find_element(By.CSS_SELECTOR, "#results li a").click()
    _wait(browser, lambda d: "/entry/" in d.current_url)
    entry_url = browser.current_url
    english = browser.find_element(By.ID, "english-input")
    english.clear()
    english.send_keys("forging consensus")
    browser.find_element(By.ID, "who").send_keys("Ana Li")
    browser.find_element(By.CSS_SELECTOR, "#review button").click()
    _wait(browser, lambda d: "saved" in d.find_element(By.TAG_NAME, "main").text)
    browser.get(entry_url)
    assert browser.find_element(By.ID, "english").text == "forging consensus"
    assert browser.find_element(By.ID, "english-source").text == "translator edit"
    assert "Ana Li" in browser.find_element(By.CSS_SELECTOR, "table.history").text
    browser.get(base + "/?q=lgwh")
    browser.find_element(By.CSS_SELECTOR, "#results li a").click()
    _wait(browser, lambda d: "/entry/" in d.current_url)
    assert browser.find_element(By.ID, "who").get_attribute("value") == "Ana Li"  # asked once


def test_download_the_workbook_and_upload_an_edited_one(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    base, _ = server
    for old in browser.downloads.iterdir():
        old.unlink()
    browser.get(base + "/share")
    browser.find_element(By.ID, "download-xlsx").click()
    target = browser.downloads / "glossary.xlsx"
    _wait(browser, lambda d: target.exists() and target.stat().st_size > 0, timeout=60)
    edited = tmp_path / "edited.xlsx"
    shutil.copy(target, edited)
    workbook = load_workbook(edited)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Term")].value == "两个维护":
            row[header.index("English")].value = "the Two Upholds"
            row[header.index("Status")].value = "approved"
    workbook.save(edited)
    browser.get(base + "/share")
    browser.find_element(By.ID, "workbook").send_keys(str(edited))
    browser.find_element(By.CSS_SELECTOR, "#upload button").click()
    summary = _wait(browser, lambda d: d.find_elements(By.ID, "import-summary"))[0].text
    assert "would change 1" in summary and "0 conflicts" in summary
    who = browser.find_element(By.CSS_SELECTOR, "#apply input[name=who]")
    if not who.get_attribute("value"):
        who.send_keys("Bo")
    browser.find_element(By.ID, "apply-button").click()
    _wait(browser, lambda d: "applied" in d.find_element(By.ID, "import-summary").text)
    browser.get(base + "/?q=lgwh")
    _wait(browser, lambda d: _first_result(d) == "两个维护")
    assert "the Two Upholds" in browser.find_element(By.CSS_SELECTOR, "#results li .english").text


def test_hostile_text_shows_as_text(browser, server):
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("恶意")
    _wait(browser, lambda d: _first_result(d) == HOSTILE_TERM)
    assert HOSTILE_SCRIPT in browser.find_element(By.CSS_SELECTOR, "#results li .context").text
    browser.find_element(By.CSS_SELECTOR, "#results li a").click()
    _wait(browser, lambda d: "/entry/" in d.current_url)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert HOSTILE_SCRIPT in page and HOSTILE_IMAGE in page
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []


def test_page_script_and_style_load_without_errors(browser, server):
    base, _ = server
    browser.get(base + "/?q=lgwh")
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
