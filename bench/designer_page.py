"""`python -m bench.designer_page`: what the designer's page costs a browser to load and build.

Opens the designer in headless Chromium (Debian's chromium and chromedriver) with one connected
instance, builds a 3-step flow (New or Changed Records, then Get Users, Get Time Sheets, Create
Timesheet) twice (the second time after a reload) and prints: the bytes on the wire of the
first load (all of it, and the catalog's part: its index and the four entries the flow uses),
what of the catalog it fetched, every file's Cache-Control, how often the catalog, the static
files and the icon were fetched over the two loads (counted where the server answers), and how
many elements the page holds (and how many of them are <option>s).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import requests

from qbtime_connector.designer import Designer

TRIGGER = "new_or_changed_records"
STEPS = ("get_users", "get_timesheets", "create_timesheet")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
]


def _browser(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = str(shutil.which("chromium"))
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(shutil.which("chromedriver"))))


def _network(driver: Any) -> list[dict[str, Any]]:
    """The DevTools network events logged since the last call."""
    events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    return [e for e in events if e["method"].startswith("Network.")]


def _ready(driver: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready === 'true'")
    )


def _connect(app: Designer) -> None:
    """One connected customer instance, through the sandbox's OAuth flow."""
    assert app.app is not None
    with requests.Session() as browser:
        browser.headers["X-CSRF-Token"] = app.app.csrf_token
        made = browser.post(f"{app.url}api/instances", json={"name": "Acme"}, timeout=10).json()
        connect = browser.post(f"{app.url}api/instances/{made['id']}/connect", timeout=10).json()
        back = browser.get(connect["authorize_url"], allow_redirects=False, timeout=10)
        browser.get(back.headers["Location"], timeout=10).raise_for_status()


def _build(driver: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _ready(driver)
    driver.execute_script(
        "document.querySelector(`.palette-item[data-kind=trigger][data-key='${arguments[0]}']"
        " .add`).click()",
        TRIGGER,
    )
    for key in STEPS:  # as a builder does: open the action's group, then press its +
        driver.execute_script(
            "const group = document.querySelector("
            "`.palette-group[data-category='${arguments[1]}`);"
            "if (!group.open) group.querySelector('summary').click();",
            key,
            _category(key),
        )
        WebDriverWait(driver, 30).until(partial(_press_add, key=key))
    WebDriverWait(driver, 30).until(  # the steps are drawn and their pick lists loaded
        lambda d: d.execute_script(
            "return document.querySelectorAll('#steps > li.card').length === arguments[0]"
            " && [...document.querySelectorAll('select[data-pick-list]')]"
            ".every((s) => s.dataset.loaded)",
            len(STEPS),
        )
    )


def _press_add(driver: Any, key: str) -> bool:
    """Press the + of an action's palette item, once its group has built it."""
    return bool(
        driver.execute_script(
            "const item = document.querySelector(`.palette-item[data-key='${arguments[0]}']`);"
            "if (item) item.querySelector('.add').click();"
            "return Boolean(item);",
            key,
        )
    )


def _category(key: str) -> str:
    from qbtime_connector.designer.catalog import catalog

    return str(next(a["category"] for a in catalog()["actions"] if a["key"] == key))


class _Served(logging.Handler):
    """Every request the designer's server answered, as "METHOD /path STATUS"."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _wire(events: list[dict[str, Any]], ours: str) -> dict[str, dict[str, Any]]:
    """Per request of ours: its URL, response headers and bytes on the wire (0 from cache)."""
    done = {
        e["params"]["requestId"]: e["params"]["encodedDataLength"]
        for e in events
        if e["method"] == "Network.loadingFinished"
    }
    return {
        e["params"]["requestId"]: {
            "url": e["params"]["response"]["url"],
            "headers": {k.lower(): v for k, v in e["params"]["response"]["headers"].items()},
            "bytes": done.get(e["params"]["requestId"], 0),
        }
        for e in events
        if e["method"] == "Network.responseReceived"
        and e["params"]["response"]["url"].startswith(ours)
    }


def measure() -> dict[str, Any]:
    """The figures, from one designer and one browser of their own."""
    served = _Served()
    logger = logging.getLogger("qbtime_connector.designer.serving")
    logger.addHandler(served)
    logger.setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as temp, Designer(data_dir=Path(temp) / "data") as app:
        _connect(app)
        ours = app.url.rstrip("/")
        driver = _browser(Path(temp) / "profile")
        try:
            driver.get(app.url)
            _build(driver)
            first = _network(driver)
            driver.refresh()  # a second load: what the cache saves
            _build(driver)
            elements = driver.execute_script("return document.getElementsByTagName('*').length")
            options = driver.execute_script("return document.getElementsByTagName('option').length")
            events = first + _network(driver)
        finally:
            driver.quit()
    loaded = _wire(first, ours)
    catalog = [r for r in loaded.values() if "/api/catalog" in r["url"]]
    sent = [
        e
        for e in events
        if e["method"] == "Network.requestWillBeSent"
        and e["params"]["request"]["url"].startswith(ours)
    ]
    return {
        "page_wire_bytes_first_load": sum(r["bytes"] for r in loaded.values()),
        "catalog_wire_bytes_first_load": sum(r["bytes"] for r in catalog),
        "catalog_content_encoding": sorted(
            {r["headers"].get("content-encoding", "identity") for r in catalog}
        ),
        "catalog_fetches_first_load": sorted(
            r["url"].split("/api/catalog/")[-1].split("?")[0] for r in catalog
        ),
        "catalog_fetches_answered_by_the_server_over_two_loads": sum(
            1 for line in served.lines if line.startswith("GET /api/catalog")
        ),
        "requests_by_the_page_first_load": len(loaded),
        "icon_requests_by_the_page_over_two_loads": sum(
            1 for e in sent if "/icon.png" in e["params"]["request"]["url"]
        ),
        "icon_fetches_answered_by_the_server_over_two_loads": sum(
            1 for line in served.lines if line.startswith("GET /icon.png")
        ),
        "static_fetches_answered_by_the_server_over_two_loads": sum(
            1 for line in served.lines if line.startswith("GET /static/")
        ),
        "cache_control": {
            r["url"].split("/", 3)[-1]: r["headers"].get("cache-control")
            for r in _wire(events, ours).values()
        },
        "elements_for_3_steps": elements,
        "options_for_3_steps": options,
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
