"""The designer in a real browser: build, connect, test one step, map by sample, run, read.

One headless Chromium and one designer serve the whole module; each test opens a new flow.
Every wait is on a condition of the page, never on time.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from qbtime_connector import manifest
from qbtime_connector.designer import Designer

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
    ),
    # Two browsers (and designers) for the file, not one in each worker: a start costs about
    # 2.6 CPU-seconds; two still share the every-action parts out.
    pytest.mark.workers(2),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1100",
]

# Selenium's ActionChains cannot start HTML5 drag and drop: dispatch the real events instead.
DRAG_AND_DROP = """
const [source, target] = arguments;
const data = new DataTransfer();
const fire = (node, type) => node.dispatchEvent(
  new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
fire(source, "dragstart"); fire(target, "dragenter"); fire(target, "dragover");
fire(target, "drop"); fire(source, "dragend");
"""
# What a date picker does when the builder picks: a value, then a change event.
PICK = """
const [input, value] = arguments;
input.value = value;
input.dispatchEvent(new Event("change", {bubbles: true}));
"""


def start_browser(folder: Path) -> WebDriver:
    """Headless Chromium whose profile, and the home it writes its crash reports and caches
    into, are under `folder`: a test writes nothing in the user's home."""
    from selenium.webdriver.chrome.service import Service

    home = folder / "home"
    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, f"--user-data-dir={folder / 'chromium-profile'}"]:
        options.add_argument(flag)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER), env=env))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    driver = start_browser(tmp_path_factory.mktemp("browser"))
    yield driver
    driver.quit()


def test_the_browser_writes_nothing_into_the_users_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "users-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # the home Chromium would otherwise write into
    driver = start_browser(tmp_path / "browser")
    try:
        driver.get("data:text/html,<p>hello</p>")
    finally:
        driver.quit()
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []


@pytest.fixture(scope="module")
def designer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Designer]:
    with Designer(data_dir=tmp_path_factory.mktemp("designer")) as running:
        yield running


def connect(designer: Designer, name: str) -> int:
    """A customer instance connected through the sandbox's OAuth flow, as the page would."""
    assert designer.app is not None
    with requests.Session() as web:
        web.headers["X-CSRF-Token"] = designer.app.csrf_token
        made = web.post(f"{designer.url}api/instances", json={"name": name}, timeout=10).json()
        url = web.post(f"{designer.url}api/instances/{made['id']}/connect", timeout=10).json()
        back = web.get(url["authorize_url"], allow_redirects=False, timeout=10)
        web.get(back.headers["Location"], timeout=10).raise_for_status()
    return int(made["id"])


@pytest.fixture(scope="module")
def instance(designer: Designer) -> int:
    """The instance the tests after the first work with."""
    return connect(designer, "Beta Builders")


class _Rebuilt(WebDriverWait[WebDriver]):
    """A wait that looks again when the page was rebuilt (or left, for the sign-in) under it:
    Chromium says so as a stale element or, mid-navigation, as an inspector error that a node
    "does not belong to the document"."""

    def until(self, method: Callable[[WebDriver], Any], message: str = "") -> Any:
        def tolerant(driver: WebDriver) -> Any:
            try:
                return method(driver)
            except WebDriverException as error:
                if "does not belong to the document" in (error.msg or ""):
                    return False
                raise

        return super().until(tolerant, message)


def wait(driver: WebDriver, seconds: float = 20) -> WebDriverWait[WebDriver]:
    return _Rebuilt(
        driver, seconds, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]
    )


def press(element: WebElement) -> None:
    """Click as a builder's mouse does: a press and a release at the element's centre (which
    chromedriver scrolls into view first). WebElement.click() sends the same events inside
    WebDriver's own checks, at over twice the CPU: 90 ms a click here, a third of these tests'."""
    ActionChains(element.parent, duration=0).click(element).perform()


def until(driver: WebDriver, check: str, *args: Any, seconds: float = 20) -> Any:
    """What the JavaScript `check` (a function body of `args`) returns once it is truthy, looked
    for in the page every 20 ms: one WebDriver command, where polling from here cost one a look
    (about 15 ms of Chromium's CPU each)."""
    script = f"""
const done = arguments[arguments.length - 1];
const args = [...arguments].slice(0, -1);
const check = (...args) => {{ {check} }};
const deadline = Date.now() + {seconds * 1000:.0f};
(function look() {{
  let found = null;
  try {{ found = check(...args); }} catch (error) {{ found = null; }}
  if (found || Date.now() > deadline) done(found || null); else setTimeout(look, 20);
}})();
"""
    found = driver.execute_async_script(script, *args)
    assert found, f"not within {seconds} s: {check}"
    return found


def ready(driver: WebDriver) -> None:
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))


def new_flow(driver: WebDriver, designer: Designer, instance: int | None = None) -> None:
    """The page, freshly loaded, on a new flow (and on `instance`)."""
    driver.get(designer.url)
    ready(driver)
    driver.execute_script("sessionStorage.clear()")
    driver.get(designer.url)
    ready(driver)
    if instance is not None:
        Select(driver.find_element(By.ID, "instance-select")).select_by_value(str(instance))
        wait(driver).until(lambda d: d.find_element(By.ID, "instance-status").text != "")


def status(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "flow-status").text)


def until_status(driver: WebDriver, text: str) -> str:
    wait(driver).until(lambda d: text in status(d))
    return status(driver)


def steps(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, CARDS)


def step(driver: WebDriver, number: int) -> WebElement:
    return steps(driver)[number - 1]


def field(card: WebElement, key: str) -> WebElement:
    return card.find_element(By.CSS_SELECTOR, f'.field[data-input="{key}"]')


def order(driver: WebDriver) -> list[str]:
    return [str(c.get_attribute("data-action")) for c in steps(driver)]


# An action's palette item, or its group's summary while the group is closed; and how many
# steps the flow has.
GROUP = """
const [category, key, cards] = arguments;
const group = document.querySelector(`.palette-group[data-category="${category}"]`);
const found = group.open ? group.querySelector(`.palette-item[data-key="${key}"]`)
  : group.querySelector("summary");
return [found, !group.open, document.querySelectorAll(cards).length];
"""
ITEM = "return document.querySelector(`.palette-item[data-key='${args[0]}']`);"
CARDS = "#steps > li.card"


def _palette_item(driver: WebDriver, key: str) -> tuple[WebElement, int]:
    """An action's palette item, its group opened first (a group's items are built when it is
    opened); and how many steps the flow has."""
    from qbtime_connector.designer.catalog import catalog

    category = next(a["category"] for a in catalog()["actions"] if a["key"] == key)
    found, closed, cards = driver.execute_script(GROUP, category, key, CARDS)
    if closed:
        press(found)
        found = until(driver, ITEM, key)
    return found, cards


def palette_item(driver: WebDriver, key: str) -> WebElement:
    """An action's palette item, its group opened first."""
    return _palette_item(driver, key)[0]


def add(driver: WebDriver, key: str) -> WebElement:
    """Add an action with its palette item's + (once its entry is loaded: wait for the card);
    the card added."""
    item, before = _palette_item(driver, key)
    press(item.find_element(By.CSS_SELECTOR, ".add"))
    card: WebElement = until(
        driver,
        f"const cards = document.querySelectorAll('{CARDS}');"
        "return cards.length === args[0] + 1 && cards[args[0]];",
        before,
    )
    return card


def set_trigger(driver: WebDriver, key: str) -> WebElement:
    """Start the flow with a trigger of the palette; its card."""
    press(
        driver.find_element(
            By.CSS_SELECTOR, f".palette-item[data-kind=trigger][data-key={key}] .add"
        )
    )
    card: WebElement = wait(driver).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f"#trigger-slot .card[data-action={key}]")
    )
    return card


def loaded_pick_list(driver: WebDriver, card: WebElement, key: str) -> Select:
    select = Select(field(card, key).find_element(By.CSS_SELECTOR, "select[data-pick-list]"))
    wait(driver).until(
        lambda _: select._el.get_attribute("data-loaded") and len(select.options) > 1
    )
    return select


def focused(driver: WebDriver) -> WebElement:
    element: WebElement = driver.switch_to.active_element
    return element


def keys(driver: WebDriver, *pressed: str) -> None:
    """Press keys where the focus is (as a builder's keyboard would)."""
    focused(driver).send_keys(*pressed)


def counts(designer: Designer, key: str) -> int:
    assert designer.sandbox is not None
    return designer.sandbox.state.count(key)


def flow_id(driver: WebDriver) -> int:
    return int(driver.execute_script("return sessionStorage.getItem('flowId')"))


def no_javascript_errors(driver: WebDriver) -> None:
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def shot(element: WebElement, name: str, tmp: Path) -> None:
    """A screenshot of one part of the page: into $QBTIME_SCREENSHOTS when set (the README's
    walk is made with QBTIME_SCREENSHOTS=assets), else into the test's temporary folder."""
    folder = Path(os.environ.get("QBTIME_SCREENSHOTS") or tmp)
    assert element.screenshot(str(folder / name))


def test_a_builder_drags_fills_connects_runs_and_sees_errors_beside_fields(
    browser: WebDriver, designer: Designer
) -> None:
    new_flow(browser, designer)
    written = counts(designer, "POST /api/v1/timesheets")  # by the module's other tests

    # A customer instance, connected through the sandbox's authorize page and back.
    browser.find_element(By.ID, "new-instance-name").send_keys("Acme Plumbing")
    press(browser.find_element(By.ID, "add-instance"))
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "not connected")
    authorized = counts(designer, "GET /api/v1/authorize")  # by the module's other tests
    press(browser.find_element(By.ID, "connect-instance"))
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "connected")
    assert counts(designer, "GET /api/v1/authorize") == authorized + 1
    assert "access_token" not in browser.page_source
    press(browser.find_element(By.ID, "test-instance"))
    assert "Ada Admin" in until_status(browser, "works")

    # The manifest's trigger can replace the manual start, and be taken away again.
    trigger = browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key]:not([data-key=''])"
    )
    browser.execute_script(DRAG_AND_DROP, trigger, browser.find_element(By.ID, "trigger-slot"))
    trigger_card = wait(browser).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#trigger-slot .card.trigger")
    )
    ticks = trigger_card.find_elements(
        By.CSS_SELECTOR, '.field[data-input="record_types"] label.check'
    )
    record_types = next(
        i
        for i in manifest.trigger(trigger.get_attribute("data-key")).value_inputs
        if i.key == "record_types"
    )
    assert [t.text for t in ticks] == [c["label"] for c in record_types.choices]
    press(trigger_card.find_element(By.CSS_SELECTOR, "button[aria-label='Remove trigger']"))
    assert "Manual start" in browser.find_element(By.ID, "trigger-slot").text

    # Step 1 from the keyboard, step 2 dragged from the palette onto the canvas.
    palette_item(browser, "get_users").find_element(
        By.CSS_SELECTOR, "button[aria-label='Add Get Users']"
    ).send_keys(Keys.ENTER)
    wait(browser).until(lambda d: len(steps(d)) == 1)
    dragged = palette_item(browser, "create_timesheet")
    browser.execute_script(DRAG_AND_DROP, dragged, browser.find_element(By.ID, "steps"))
    wait(browser).until(lambda d: len(steps(d)) == 2)
    card = step(browser, 2)
    assert card.get_attribute("data-action") == "create_timesheet"
    assert "*" in field(card, "user_id").find_element(By.TAG_NAME, "label").text

    # Dropdowns fed by the manifest's pick lists; a bad start date to begin with.
    # Job codes depend on the user: the list reloads with each user's assignments.
    users = loaded_pick_list(browser, card, "user_id")
    users.select_by_visible_text("John Doe")
    codes = loaded_pick_list(browser, card, "jobcode_id")
    assert "Field Work › Repairs" in [o.text for o in codes.options]
    users.select_by_visible_text("Mary Samsonite")
    chosen_user = users.first_selected_option.get_attribute("value")
    codes = loaded_pick_list(browser, card, "jobcode_id")
    offered = [o.text for o in codes.options]
    assert "Field Work › Installation" in offered
    assert "Field Work › Repairs" not in offered
    codes.select_by_visible_text("Field Work › Installation")
    field(card, "start_date").find_element(By.TAG_NAME, "input").send_keys("next Tuesday")
    field(card, "end_date").find_element(By.TAG_NAME, "input").send_keys(
        "2026-11-24T12:00:00-07:00"
    )
    press(browser.find_element(By.ID, "run-flow"))
    until_status(browser, "stopped")
    card = step(browser, 2)
    message = field(card, "start_date").find_element(By.CSS_SELECTOR, ".field-error").text
    assert "next Tuesday" in message
    assert field(card, "end_date").find_element(By.CSS_SELECTOR, ".field-error").text == ""
    assert "Result" in step(browser, 1).find_element(By.CSS_SELECTOR, ".results").text
    assert counts(designer, "POST /api/v1/timesheets") == written

    # Fixed, run again: the created timesheet is read back on the page.
    start = field(card, "start_date").find_element(By.TAG_NAME, "input")
    start.clear()
    start.send_keys("2026-11-24T09:00:00-07:00")
    press(browser.find_element(By.ID, "run-flow"))
    until_status(browser, "succeeded")
    result = step(browser, 2).find_element(By.CSS_SELECTOR, ".result.ok pre").text
    assert '"_status_code": 200' in result
    assert f'"user_id": {chosen_user}' in result
    assert '"jobcode_id": 2000002' in result
    assert counts(designer, "POST /api/v1/timesheets") == written + 1

    # The flow was saved: a reload shows the same two steps with their values.
    browser.refresh()
    wait(browser).until(lambda d: len(steps(d)) == 2)
    again = field(step(browser, 2), "start_date").find_element(By.TAG_NAME, "input")
    assert again.get_attribute("value") == "2026-11-24T09:00:00-07:00"

    # The instance can be deleted (after a question); its token goes with it.
    press(browser.find_element(By.ID, "delete-instance"))
    asked = wait(browser).until(expected_conditions.alert_is_present())
    assert asked.text == "Delete the customer instance “Acme Plumbing” and forget its token?"
    asked.accept()
    until_status(browser, "Deleted instance “Acme Plumbing”.")
    choices = Select(browser.find_element(By.ID, "instance-select")).options
    assert "Acme Plumbing" not in [o.text.split(" · ")[0] for o in choices]
    no_javascript_errors(browser)


def test_the_palette_is_grouped_searched_and_used_from_the_keyboard(
    browser: WebDriver, designer: Designer, instance: int
) -> None:
    from qbtime_connector.designer.catalog import catalog

    new_flow(browser, designer, instance)
    actions = catalog()["actions"]
    groups = browser.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-group")
    shown = [g.get_attribute("data-category") for g in groups]
    assert shown == [c for c in catalog()["categories"] if any(a["category"] == c for a in actions)]
    assert shown[:5] == ["Timesheets", "Users", "Job Codes", "Time Clock", "Approvals"]
    # Groups start closed and hold no items: each group's are built when it is opened.
    assert browser.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-item") == []
    for group in groups:  # each action under the category it declares, their count beside it
        category = group.get_attribute("data-category")
        declared = [a["key"] for a in actions if a["category"] == category]
        summary = group.find_element(By.TAG_NAME, "summary")
        assert summary.text == f"{category} {len(declared)}"
        press(summary)
        items = wait(browser).until(
            lambda _, group=group: group.find_elements(By.CSS_SELECTOR, ".palette-item")
        )
        assert [i.get_attribute("data-key") for i in items] == declared
        press(summary)
    assert [g for g in groups if g.get_attribute("open") is not None] == []

    # Search by label as you type: it opens the groups it matches and hides the others;
    # cleared, the groups are as the builder left them.
    jobs = groups[shown.index("Job Codes")].find_element(By.TAG_NAME, "summary")
    press(jobs)
    search = browser.find_element(By.ID, "palette-search")
    search.send_keys("clock")
    visible = [
        i.get_attribute("data-key")
        for i in browser.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-item")
        if i.is_displayed()
    ]
    assert visible == ["clock_in", "clock_out"]
    assert [g.get_attribute("data-category") for g in groups if g.is_displayed()] == ["Time Clock"]
    search.send_keys("zzz")
    assert browser.find_element(By.ID, "palette-empty").is_displayed()
    search.clear()
    search.send_keys(Keys.SPACE, Keys.BACKSPACE)
    assert all(g.is_displayed() for g in groups)
    assert [g.get_attribute("data-category") for g in groups if g.get_attribute("open")] == [
        "Job Codes"
    ]
    press(jobs)

    # A group opens from the keyboard; palette items take the focus and add themselves with
    # Enter; the focus stays.
    users = groups[shown.index("Users")].find_element(By.TAG_NAME, "summary")
    users.send_keys(Keys.ENTER)
    item = wait(browser).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".palette-item[data-key=get_users]")
    )
    item.send_keys(Keys.ENTER)
    palette_item(browser, "get_job_codes").send_keys(Keys.ENTER)
    keys(browser, Keys.ENTER)
    wait(browser).until(lambda d: order(d) == ["get_users", "get_job_codes", "get_job_codes"])
    assert focused(browser).get_attribute("data-key") == "get_job_codes"

    # Moving and removing keep the keyboard on the control that was used.
    step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Move down']").send_keys(Keys.ENTER)
    assert order(browser) == ["get_job_codes", "get_users", "get_job_codes"]
    assert focused(browser).get_attribute("aria-label") == "Move down"
    keys(browser, Keys.ENTER)
    assert order(browser) == ["get_job_codes", "get_job_codes", "get_users"]
    assert focused(browser) == step(browser, 3).find_element(
        By.CSS_SELECTOR, "[aria-label='Move down']"
    )
    step(browser, 3).find_element(By.CSS_SELECTOR, "[aria-label='Move up']").send_keys(Keys.ENTER)
    assert focused(browser) == step(browser, 2).find_element(
        By.CSS_SELECTOR, "[aria-label='Move up']"
    )
    step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']").send_keys(
        Keys.ENTER
    )
    assert order(browser) == ["get_users", "get_job_codes"]
    assert focused(browser) == step(browser, 1).find_element(
        By.CSS_SELECTOR, "[aria-label='Remove step']"
    )
    keys(browser, Keys.ENTER)
    keys(browser, Keys.ENTER)
    assert order(browser) == []
    assert focused(browser).get_attribute("id") == "drop-hint"

    # Reorder by dragging a step's header onto another step.
    add(browser, "get_users")
    add(browser, "get_timesheets")
    browser.execute_script(
        DRAG_AND_DROP,
        step(browser, 2).find_element(By.CSS_SELECTOR, ".card-head"),
        step(browser, 1),
    )
    assert order(browser) == ["get_timesheets", "get_users"]
    no_javascript_errors(browser)


# Each palette group's heading and each built palette item as laid out: whether it fits the
# palette's width (nothing wider than its box, no text running past its edge) and whether a
# click on its + (scrolled to) lands on that button.
PALETTE_LAYOUT = """
const palette = document.getElementById("palette");
const inner = palette.getBoundingClientRect().right
  - parseFloat(getComputedStyle(palette).paddingRight);
const spills = (node) => node.scrollWidth > node.clientWidth + 1
  || node.getBoundingClientRect().right > inner + 1;
const hits = (button) => {
  button.scrollIntoView({ block: "center" });
  const box = button.getBoundingClientRect();
  return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === button;
};
return {
  page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  groups: [...palette.querySelectorAll(".palette-group > summary")].map((summary) => ({
    category: summary.parentNode.dataset.category, spills: spills(summary),
    oneLine: (() => {
      const style = getComputedStyle(summary);
      const text = summary.getBoundingClientRect().height
        - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return text < 2 * parseFloat(style.fontSize);
    })(),
  })),
  items: [...palette.querySelectorAll(".palette-item:not([hidden])")].map((item) => ({
    key: item.dataset.key,
    spills: [item, ...item.children].filter(spills).map((n) => n.tagName.toLowerCase()),
    hit: hits(item.querySelector(".add")),
  })),
};
"""


def test_the_palette_works_at_1000_pixels_wide(
    browser: WebDriver, designer: Designer, instance: int
) -> None:
    from qbtime_connector.designer.catalog import catalog

    actions = catalog()["actions"]
    browser.set_window_size(1000, 900)
    try:
        new_flow(browser, designer, instance)
        groups = browser.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-group")
        for group in groups:
            press(group.find_element(By.TAG_NAME, "summary"))
        wait(browser).until(
            lambda d: (
                len(d.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-item"))
                == len(actions)
            )
        )
        layout = browser.execute_script(PALETTE_LAYOUT)
        assert layout["page"][0] <= layout["page"][1]  # no sideways scrolling
        assert [g for g in layout["groups"] if g["spills"] or not g["oneLine"]] == []
        assert len(layout["groups"]) == len(groups) >= 10
        # Every trigger and action: its name and description inside the palette, its + there.
        assert [i for i in layout["items"] if i["spills"] or not i["hit"]] == []
        assert len(layout["items"]) == len(actions) + 1 + len(catalog()["triggers"])

        # Searched at this width: only the matches show, still inside the palette.
        search = browser.find_element(By.ID, "palette-search")
        for word in ["clock", "time off", "report"]:
            search.clear()
            search.send_keys(word)
            layout = browser.execute_script(PALETTE_LAYOUT)
            found = [i["key"] for i in layout["items"] if i["key"] in {a["key"] for a in actions}]
            assert found == [a["key"] for a in actions if word in a["label"].lower()], word
            assert found and [i for i in layout["items"] if i["spills"] or not i["hit"]] == []
        # And used: the last match's + adds it.
        press(palette_item(browser, found[-1]).find_element(By.CSS_SELECTOR, ".add"))
        wait(browser).until(lambda d: order(d) == [found[-1]])
    finally:
        browser.set_window_size(1400, 1100)
    no_javascript_errors(browser)


# One card's form as shown: each field's input, label, whether its control is there (the
# label's target), the fieldset and section it sits in, and whether it is hidden.
FORM = """
return [...arguments[0].querySelectorAll(".field")].map((field) => {
  const set = field.closest("fieldset");
  const label = field.querySelector(":scope > label");
  return {
    key: field.dataset.input,
    label: label.textContent,
    control: Boolean(label.htmlFor && document.getElementById(label.htmlFor)),
    group: set ? set.querySelector("legend").textContent : null,
    advanced: Boolean(field.closest("details.advanced")),
    hidden: field.hidden,
  };
});
"""
# What a card shows after Test or Preview request: the result (or error), or each request.
SHOWN = """(card) => {
  const results = card.querySelector(".results");
  const result = results.querySelector(".result");
  const preview = results.querySelector(".preview");
  const ok = result && result.classList.contains("ok");
  return {
    result: ok ? result.querySelector("pre").textContent : null,
    error: result && !ok ? result.querySelector(".error-message").textContent : null,
    requests: preview && [...preview.querySelectorAll(".request")].map((r) => ({
      line: r.querySelector(".request-line").textContent,
      body: r.querySelector("pre") ? r.querySelector("pre").textContent : null,
    })),
    previewError: preview && preview.classList.contains("error") ? preview.textContent : null,
  };
}"""
# The only card's outcome once shown (args[0]: a preview, else a test), with the flow's id.
OUTCOME = f"""
const shown = ({SHOWN})(document.querySelector("{CARDS}"));
const done = args[0] ? shown.requests !== null : Boolean(shown.result || shown.error);
return done && {{ ...shown, flow: sessionStorage.getItem("flowId") }};
"""


# A conditional field's visibility after each option of a menu it depends on is chosen in turn
# (the last one "—", not given).
FOLLOWS = """
const [menu, shown] = arguments;
return [...[...menu.options].map((o) => o.value), ""].map((value) => {
  menu.value = value;
  menu.dispatchEvent(new Event("change", { bubbles: true }));
  return [value, !shown.hidden && !!shown.getClientRects().length];
});
"""


def _shown(value: Any) -> str:
    """A value as the page compares it (JavaScript's String(value))."""
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def _visible(input_: dict[str, Any], inputs: list[dict[str, Any]], values: dict[str, Any]) -> bool:
    """Whether the manifest's visible_when shows an input, for these values (else defaults)."""
    defaults = {i["key"]: i.get("default") for i in inputs}
    return all(
        _shown(values.get(key, defaults.get(key))) in map(_shown, wanted)
        for key, wanted in (
            (k, w if isinstance(w, list) else [w])
            for k, w in (input_.get("visible_when") or {}).items()
        )
    )


def _typed(value: Any) -> str:
    """A value as a builder types it into a text box: text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


# Fill one card's fields as a builder does, in the manifest's order, in one round trip: each
# text box gets its text and an input event (as a paste does), each menu a choice and a change
# event, ticks and "+ pair" are clicked, and a pick list is waited for, then chosen from (the
# sandbox's own records stand in for ids it lacks). What could not be filled comes back.
FILL = """
const [card, fields, done] = arguments;
const step = card.dataset.step;
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
const type = (box, text) => {
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
};
const choose = (menu, value) => {
  menu.value = value;
  menu.dispatchEvent(new Event("change", { bubbles: true }));
};
(async () => {
  const problems = [];
  for (const [input, value] of fields) {
    const box = card.querySelector(`.field[data-input="${input.key}"]`);
    const section = box.closest("details");
    if (section && !section.open) section.querySelector("summary").click();
    const control = document.getElementById(`${step}-${input.key}`);
    if (input.pick) {
      for (let n = 0; !control.dataset.loaded && n < 500; n++) await pause();
      const offered = [...control.options].slice(1).map((o) => o.value);
      let chosen = value.filter((v) => offered.includes(v));
      if (!chosen.length) chosen = offered.slice(0, value.length);
      if (!chosen.length) problems.push([input.key, "offers nothing"]);
      for (const id of input.many ? chosen : chosen.slice(0, 1)) choose(control, id);
    } else if (input.type === "choice_list") {
      for (const tick of control.querySelectorAll("input[type=checkbox]")) {
        if (value.includes(tick.value)) tick.click();
      }
    } else if (control.tagName === "SELECT") {
      choose(control, value);
      if (control.value !== value) problems.push([input.key, `offers no ${value}`]);
    } else if (input.type === "key_value_list") {
      for (const [key, text] of value) {
        control.querySelector(".add-pair").click();
        const row = [...control.querySelectorAll(".kv-row")].at(-1);
        const [name, typed] = row.querySelectorAll("input");
        type(name, key);
        type(typed, text);
      }
    } else {
      type(control, value);
    }
  }
  return problems;
})().then(done, (error) => done([["script", String(error)]]));
"""


def fill(driver: WebDriver, card: WebElement, inputs: list[dict[str, Any]], values: Any) -> None:
    """Enter valid values in a card's fields (FILL), as a builder would."""
    fields = []
    for input_ in inputs:
        if input_["key"] not in values:
            continue
        value = values[input_["key"]]
        pick = bool((input_.get("options") or {}).get("pick_list"))
        if pick or input_["type"] == "choice_list":
            listed = value if isinstance(value, list) else str(value).split(",")
            value = [str(v).strip() for v in listed]
        elif input_["type"] == "key_value_list":
            pairs = (
                value.items()
                if isinstance(value, dict)
                else [(p["key"], p["value"]) for p in value]
            )
            value = [[key, _typed(text)] for key, text in pairs]
        elif input_.get("choices") or input_.get("allowed") or input_["type"] == "boolean":
            value = _shown(value)
        else:
            value = _typed(value)
        spec = {"key": input_["key"], "type": input_["type"], "pick": pick}
        fields.append([{**spec, "many": input_["type"] == "id_list"}, value])
    assert driver.execute_async_script(FILL, card, fields) == []


def _line(request: dict[str, Any]) -> str:
    """A previewed request's first line as the page writes it."""
    query = urlencode({k: _shown(v) for k, v in (request.get("query") or {}).items()})
    return f"{request['method']} {request['path']}{'?' + query if query else ''}"


# The every-action test runs in this many parts (every PARTS-th action each), which
# pytest-xdist runs side by side: in one piece it was the suite's longest test by far.
PARTS = 4


def _writes(action: dict[str, Any]) -> bool:
    return action.get("method") in {"POST", "PUT", "DELETE", "ANY"}


def test_the_every_action_parts_cover_every_action_with_reads_writes_and_conditions() -> None:
    from qbtime_connector.designer.catalog import catalog

    actions = catalog()["actions"]
    parts = [actions[part::PARTS] for part in range(PARTS)]
    assert sorted(a["key"] for part in parts for a in part) == sorted(a["key"] for a in actions)
    writes = sum(map(_writes, actions))
    conditional = sum(1 for a in actions for i in a["inputs"] if i.get("visible_when"))
    assert len(actions) >= 100 and writes >= 60 and len(actions) - writes >= 30
    assert conditional >= 30


@pytest.mark.slow(45)
@pytest.mark.parametrize("part", range(PARTS))
def test_every_action_is_filled_tested_or_previewed_and_shows_its_result(
    browser: WebDriver, designer: Designer, instance: int, part: int
) -> None:
    """Each of the manifest's actions (every PARTS-th, from `part`), one after another on one
    flow: its form as declared (conditional inputs following the inputs they depend on),
    filled with valid inputs, then Test (a read, run alone against the sandbox) or Preview
    request (a write, nothing sent); what the card shows is what the connector gives for the
    inputs the flow saved."""
    from qbtime_connector import invoke, preview
    from qbtime_connector.designer.catalog import catalog
    from tests.test_preview import valid_inputs

    assert designer.sandbox is not None and designer.app is not None
    ours = designer.sandbox.connect()
    web = requests.Session()
    new_flow(browser, designer, instance)
    actions = catalog()["actions"][part::PARTS]
    tested = previewed = conditional = 0
    for action in actions:
        key, inputs = action["key"], action["inputs"]
        card = add(browser, key)
        number = "step 1"  # the flow's only step
        fields = browser.execute_script(FORM, card)
        assert {f["key"]: f for f in fields} == {
            i["key"]: {
                "key": i["key"],
                "label": i["label"] + (" *" if i.get("required") else ""),
                "control": True,
                "group": i.get("group"),
                "advanced": bool(i.get("advanced")),
                "hidden": not _visible(i, inputs, {}),
            }
            for i in inputs
        }, key
        assert len(fields) == len(inputs)

        # Each conditional input follows the choices it depends on, both ways.
        for closed in card.find_elements(By.CSS_SELECTOR, "details.advanced:not([open]) > summary"):
            press(closed)
        for dependent in [i for i in inputs if i.get("visible_when")]:
            conditional += 1
            shown_field = field(card, dependent["key"])
            for on in dependent["visible_when"]:
                menu = field(card, on).find_element(By.TAG_NAME, "select")
                for option, displayed in browser.execute_script(FOLLOWS, menu, shown_field):
                    values = {on: option} if option else {}  # "—": its default counts
                    assert displayed == _visible(dependent, inputs, values), (key, on, option)

        fill(browser, card, inputs, valid_inputs(key))

        write = _writes(action)
        button = "Preview the request of" if write else "Test"
        press(card.find_element(By.CSS_SELECTOR, f"[aria-label='{button} {number}']"))
        shown = until(browser, OUTCOME, write)
        flows = web.get(f"{designer.url}api/flows", timeout=10).json()
        flow = int(shown["flow"])
        saved = next(f for f in flows if f["id"] == flow)["definition"]["steps"][0]
        assert saved["action"] == key
        assert set(saved["inputs"]) == set(valid_inputs(key)), key
        if write:
            expected = preview(key, saved["inputs"])
            assert shown["previewError"] is None, (key, shown["previewError"])
            assert [r["line"] for r in shown["requests"]] == [
                _line(r) for r in expected["requests"]
            ], key
            assert [r["body"] and json.loads(r["body"]) for r in shown["requests"]] == [
                r.get("body") for r in expected["requests"]
            ], key
            previewed += 1
        else:
            assert shown["error"] is None, (key, shown["error"])
            result = json.loads(shown["result"])
            expected = json.loads(json.dumps(invoke(key, saved["inputs"], ours)))
            # Get Changes' cursor stamps the second it was made: the two calls may straddle one.
            assert "cursor" not in result or len(result.pop("cursor")) > 20, key
            expected.pop("cursor", None)
            assert result == expected, key
            tested += 1
        press(card.find_element(By.CSS_SELECTOR, "[aria-label='Remove step']"))
        until(browser, f"return !document.querySelector('{CARDS}');")
    assert previewed == sum(map(_writes, actions)) and tested + previewed == len(actions)
    assert conditional == sum(1 for a in actions for i in a["inputs"] if i.get("visible_when"))
    no_javascript_errors(browser)


def _picker_field(driver: WebDriver, ref: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, f'.picker button[data-ref="{ref}"]')


def test_one_step_is_tested_alone_and_mapped_by_its_sample_values(
    browser: WebDriver, designer: Designer, instance: int, tmp_path: Path
) -> None:
    new_flow(browser, designer, instance)
    trigger = browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key=new_or_changed_records]"
    )
    trigger.send_keys(Keys.ENTER)
    add(browser, "get_users")
    add(browser, "create_timesheet")
    assert [c.get_attribute("data-step") for c in steps(browser)] == ["s1", "s2"]

    # The trigger's Test: recent records, before any poll, its saved state untouched.
    press(browser.find_element(By.CSS_SELECTOR, "[aria-label='Test trigger']"))
    until_status(browser, "recent records to map from")
    sampled = browser.find_element(By.CSS_SELECTOR, "#trigger-slot .result.ok pre").text
    assert len(json.loads(sampled)["records"]) == 3
    assert designer.app is not None
    assert designer.app.storage.trigger_state(flow_id(browser), instance) is None

    # Step 1 alone; then step 2 maps a user id by the value step 1 returned.
    users_read = counts(designer, "GET /api/v1/users")
    press(step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Test step 1']"))
    until_status(browser, "Step 1 tested alone")
    assert counts(designer, "GET /api/v1/users") == users_read + 1
    card = step(browser, 2)
    press(field(card, "user_id").find_element(By.CSS_SELECTOR, ".map-button"))
    picker = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, ".picker"))
    assert focused(browser).get_attribute("aria-label") == "Search fields and sample values"
    sources = [s.text for s in picker.find_elements(By.CSS_SELECTOR, ".picker-source > strong")]
    assert sources == ["Trigger · New or Changed Records", "Step 1 · Get Users"]
    assert "from its last test" in picker.text
    username = _picker_field(browser, "steps.s1.users.0.username")
    assert username.find_element(By.CSS_SELECTOR, ".sample").text == '"admin"'
    # A later item of the list, by index: its sample values follow.
    Select(
        picker.find_element(
            By.CSS_SELECTOR, "select[aria-label='Which item of Step 1 · Get Users › users']"
        )
    ).select_by_visible_text("item 2")
    second = _picker_field(browser, "steps.s1.users.1.username")
    assert second.find_element(By.CSS_SELECTOR, ".sample").text == '"msamsonite"'
    shot(card, "designer-map-by-sample.png", tmp_path)
    # Searching keeps the rows whose field or sample value matches.
    picker.find_element(By.CSS_SELECTOR, ".picker-search").send_keys("msamsonite")
    shown = [b for b in picker.find_elements(By.CSS_SELECTOR, ".picker-field") if b.is_displayed()]
    assert second in shown
    assert _picker_field(browser, "steps.s1.users.1.first_name") not in shown
    search = picker.find_element(By.CSS_SELECTOR, ".picker-search")
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    press(_picker_field(browser, "steps.s1.users.1.id"))
    chip = field(card, "user_id").find_element(By.CSS_SELECTOR, ".chip")
    assert chip.text == "Step 1 · Users › item 2 › id"
    assert "{{" not in field(card, "user_id").text
    assert focused(browser) == chip

    # The rest by hand; Preview request shows what would be sent, and sends nothing.
    codes = loaded_pick_list(browser, card, "jobcode_id")
    codes.select_by_visible_text("Field Work › Installation")
    field(card, "start_date").find_element(By.TAG_NAME, "input").send_keys(
        "2026-11-25T09:00:00-07:00"
    )
    field(card, "end_date").find_element(By.TAG_NAME, "input").send_keys(
        "2026-11-25T11:00:00-07:00"
    )
    writes = counts(designer, "POST /api/v1/timesheets")
    press(card.find_element(By.CSS_SELECTOR, "[aria-label='Preview the request of step 2']"))
    until_status(browser, "nothing was sent")
    preview = step(browser, 2).find_element(By.CSS_SELECTOR, ".preview")
    assert preview.find_element(By.CSS_SELECTOR, ".request-line").text == "POST /timesheets"
    body = json.loads(preview.find_element(By.CSS_SELECTOR, "pre").text)
    assert body["data"][0]["user_id"] == 1000002
    assert counts(designer, "POST /api/v1/timesheets") == writes

    # Step 2 alone: step 1 is not run again, the trigger is not polled.
    press(step(browser, 2).find_element(By.CSS_SELECTOR, "[aria-label='Test step 2']"))
    until_status(browser, "Step 2 tested alone")
    result = step(browser, 2).find_element(By.CSS_SELECTOR, ".result.ok pre").text
    assert '"user_id": 1000002' in result
    assert counts(designer, "POST /api/v1/timesheets") == writes + 1
    assert counts(designer, "GET /api/v1/users") == users_read + 1
    assert designer.app.storage.trigger_state(flow_id(browser), instance) is None
    shot(step(browser, 2), "designer-test-step.png", tmp_path)

    # "each" item of a list maps a list: every user's timesheets, in step 3 tested alone.
    add(browser, "get_timesheets")
    sheets = step(browser, 3)
    press(field(sheets, "user_ids").find_element(By.CSS_SELECTOR, ".map-button"))
    Select(
        browser.find_element(
            By.CSS_SELECTOR, ".picker select[aria-label='Which item of Step 1 · Get Users › users']"
        )
    ).select_by_visible_text("each")
    press(_picker_field(browser, "steps.s1.users.*.id"))
    each = field(step(browser, 3), "user_ids").find_element(By.CSS_SELECTOR, ".chip")
    assert each.text == "Step 1 · Users › each › id"
    field(step(browser, 3), "start_date").find_element(By.TAG_NAME, "input").send_keys("2026-11-16")
    press(step(browser, 3).find_element(By.CSS_SELECTOR, "[aria-label='Test step 3']"))
    until_status(browser, "Step 3 tested alone")
    # A result longer than the card shows is cut, and opened in full on request.
    press(step(browser, 3).find_element(By.XPATH, ".//button[starts-with(text(), 'Show all')]"))
    found = json.loads(step(browser, 3).find_element(By.CSS_SELECTOR, ".result.ok pre").text)
    assert len({t["user_id"] for t in found["timesheets"]}) > 1
    press(step(browser, 3).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']"))

    # Removing step 1 flags the mapping beside its field, and the run does not start.
    press(step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']"))
    flagged = field(step(browser, 1), "user_id")
    message = "Step s1 was removed: map User ID from another value."
    assert flagged.find_element(By.CSS_SELECTOR, ".field-error").text == message
    assert "Removed step s1" in flagged.find_element(By.CSS_SELECTOR, ".chip").text
    sent = counts(designer, "")
    press(browser.find_element(By.ID, "run-flow"))
    assert until_status(browser, "was removed") == message
    assert counts(designer, "") == sent
    # Step ids are never given out again: a new step is s4, not s1 (nor s3, removed above).
    add(browser, "get_users")
    assert [c.get_attribute("data-step") for c in steps(browser)] == ["s2", "s4"]
    keys(browser, Keys.CONTROL, "z")  # undo the add
    keys(browser, Keys.CONTROL, "z")  # undo the removal: the mapping is whole again
    assert [c.get_attribute("data-step") for c in steps(browser)] == ["s1", "s2"]
    assert (
        field(step(browser, 2), "user_id").find_element(By.CSS_SELECTOR, ".field-error").text == ""
    )
    add(browser, "get_users")
    assert step(browser, 3).get_attribute("data-step") == "s5"
    no_javascript_errors(browser)


def test_runs_are_kept_instances_tell_the_truth_and_edits_can_be_undone(
    browser: WebDriver, designer: Designer, instance: int, tmp_path: Path
) -> None:
    new_flow(browser, designer, instance)
    assert browser.find_element(By.ID, "instance-status").text == "connected"
    add(browser, "get_users")
    per_page = field(step(browser, 1), "per_page").find_element(By.TAG_NAME, "input")
    per_page.send_keys("6")
    browser.find_element(By.ID, "flow-name").send_keys("Weekly users")
    press(browser.find_element(By.ID, "run-flow"))
    until_status(browser, "succeeded")
    per_page = field(step(browser, 1), "per_page").find_element(By.TAG_NAME, "input")
    per_page.clear()
    per_page.send_keys("0")
    press(browser.find_element(By.ID, "run-flow"))
    until_status(browser, "stopped")

    # The history survives a reload: newest first, by instance and outcome, each step inside.
    browser.refresh()
    ready(browser)
    runs = wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#runs > li"))
    summaries = [r.find_element(By.TAG_NAME, "summary").text for r in runs]
    assert [s.split(" · ")[1:] for s in summaries] == [
        ["Beta Builders", "failed"],
        ["Beta Builders", "succeeded"],
    ]
    press(runs[1].find_element(By.TAG_NAME, "summary"))
    # The run's steps are drawn when it is opened: wait for them.
    box = wait(browser).until(lambda d: runs[1].find_element(By.CSS_SELECTOR, ".result.ok pre"))
    assert 1 <= len(json.loads(box.text)["users"]) <= 6  # Per Page 6
    # Long results scroll by keyboard, and open in full.
    assert box.get_attribute("tabindex") == "0"
    scroll = "return arguments[0].scrollTop"
    press(box)
    keys(browser, Keys.PAGE_DOWN)
    wait(browser).until(lambda d: d.execute_script(scroll, box) > 0)
    press(runs[1].find_element(By.XPATH, ".//button[text()='Expand']"))
    full = "return arguments[0].scrollHeight <= arguments[0].clientHeight"
    assert browser.execute_script(full, box)
    shot(browser.find_element(By.ID, "history"), "designer-run-history.png", tmp_path)

    # Undo and Redo: buttons, Ctrl+Z and Ctrl+Shift+Z, for adds, moves, removals and edits.
    add(browser, "get_job_codes")
    keys(browser, Keys.CONTROL, "z")
    assert order(browser) == ["get_users"]
    keys(browser, Keys.CONTROL, Keys.SHIFT, "z")
    assert order(browser) == ["get_users", "get_job_codes"]
    press(step(browser, 2).find_element(By.CSS_SELECTOR, "[aria-label='Move up']"))
    assert order(browser) == ["get_job_codes", "get_users"]
    press(browser.find_element(By.ID, "undo"))
    assert order(browser) == ["get_users", "get_job_codes"]
    press(browser.find_element(By.ID, "redo"))
    assert order(browser) == ["get_job_codes", "get_users"]
    per_page = field(step(browser, 2), "per_page").find_element(By.TAG_NAME, "input")
    per_page.clear()
    per_page.send_keys("25")
    keys(browser, Keys.CONTROL, "z")  # one step back undoes the whole edit of the field
    assert (
        field(step(browser, 2), "per_page")
        .find_element(By.TAG_NAME, "input")
        .get_attribute("value")
        == "0"
    )

    # Unsaved changes are not lost without a question: New, another flow, leaving the page.
    leaving = (
        "const e = new Event('beforeunload', {cancelable: true});"
        "window.dispatchEvent(e); return e.defaultPrevented;"
    )
    assert browser.execute_script(leaving) is True
    press(browser.find_element(By.ID, "new-flow"))
    asked = wait(browser).until(expected_conditions.alert_is_present())
    assert asked.text == "Discard the unsaved changes to “Weekly users”?"
    asked.dismiss()
    assert order(browser) == ["get_job_codes", "get_users"]
    Select(browser.find_element(By.ID, "flow-select")).select_by_visible_text("New flow")
    wait(browser).until(expected_conditions.alert_is_present()).dismiss()
    assert order(browser) == ["get_job_codes", "get_users"]
    press(browser.find_element(By.ID, "save-flow"))
    until_status(browser, "Saved")
    assert browser.execute_script(leaving) is False
    press(browser.find_element(By.ID, "new-flow"))
    wait(browser).until(lambda d: order(d) == [])

    # A dead token is never "connected": after a failed call, and on load.
    assert designer.sandbox is not None
    with designer.sandbox.state.lock:
        designer.sandbox.state.access.clear()
        designer.sandbox.state.refresh.clear()
    add(browser, "get_users")
    press(step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Test step 1']"))
    until_status(browser, "Step 1 failed")
    assert "AuthError" in step(browser, 1).find_element(By.CSS_SELECTOR, ".result.error").text
    wait(browser).until(
        lambda d: d.find_element(By.ID, "instance-status").text == "needs reconnecting"
    )
    new_flow(browser, designer, instance)
    assert browser.find_element(By.ID, "instance-status").text == "needs reconnecting"
    assert browser.find_element(By.ID, "connect-instance").text == "Reconnect"
    press(browser.find_element(By.ID, "connect-instance"))
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "connected")
    no_javascript_errors(browser)


def test_three_runs_of_one_flow_at_once_report_each_new_record_once(
    browser: WebDriver, designer: Designer, instance: int
) -> None:
    from tests.conftest import new_worker

    new_flow(browser, designer, instance)
    set_trigger(browser, "new_or_changed_records")
    press(browser.find_element(By.ID, "run-flow"))  # the first poll: its starting point
    until_status(browser, "succeeded")
    assert designer.sandbox is not None
    with designer.sandbox.connect() as admin:
        new_id = new_worker(admin, "concurrent")
    designer.sandbox.state.inject(delay=0.3, count=3, path="last_modified_timestamps")
    reports = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const run = () => fetch(`/api/flows/${sessionStorage.getItem("flowId")}/run`, {
          method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
          body: JSON.stringify({instance_id: Number(arguments[0])})}).then((r) => r.json());
        Promise.all([run(), run(), run()]).then(done);
        """,
        instance,
    )
    found = [r["id"] for report in reports for r in report["trigger"]["result"]["records"]]
    assert found == [new_id]


def test_fields_take_json_several_ids_dates_and_searches_and_fit_1000_pixels(
    browser: WebDriver, designer: Designer, instance: int
) -> None:
    new_flow(browser, designer, instance)
    add(browser, "create_user")
    card = step(browser, 1)
    for name, value in [("username", "newbie"), ("first_name", "New"), ("last_name", "Bie")]:
        field(card, name).find_element(By.TAG_NAME, "input").send_keys(value)

    # Key/value pairs: JSON values are sent as such, unless "as text" is ticked.
    press(card.find_element(By.CSS_SELECTOR, "details.advanced summary"))
    pairs = field(card, "additional_query_parameters")
    press(pairs.find_element(By.CSS_SELECTOR, ".add-pair"))
    assert focused(browser).get_attribute("aria-label") == "Additional Query Parameters key 1"
    keys(browser, "customfields", Keys.TAB, '{"3000001": "Item 1"}')
    pairs.find_element(By.CSS_SELECTOR, ".add-pair").send_keys(Keys.ENTER)
    keys(browser, "employee_number", Keys.TAB, "42")

    def body() -> dict[str, Any]:
        press(card.find_element(By.CSS_SELECTOR, "[aria-label='Preview the request of step 1']"))
        wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".preview pre"))
        sent: dict[str, Any] = json.loads(
            step(browser, 1).find_element(By.CSS_SELECTOR, ".preview pre").text
        )["data"][0]
        browser.execute_script(
            "document.querySelector('.preview').remove()"
        )  # the next preview is waited for afresh
        return sent

    sent = body()
    assert sent["customfields"] == {"3000001": "Item 1"}
    assert sent["employee_number"] == 42
    as_text = pairs.find_elements(By.CSS_SELECTOR, ".as-text input")[1]
    press(as_text)
    assert body()["employee_number"] == "42"
    press(pairs.find_element(By.CSS_SELECTOR, "[aria-label='Remove pair 1']"))
    assert focused(browser).get_attribute("aria-label") == "Remove pair 1"  # the next one's
    assert "customfields" not in body()

    # An ID list bound to a pick list takes several; a chosen label stays when off the page.
    add(browser, "get_timesheets")
    sheets = step(browser, 2)
    users = loaded_pick_list(browser, sheets, "user_ids")
    users.select_by_visible_text("Mary Samsonite")
    users.select_by_visible_text("John Doe")
    tags = [
        t.text.rstrip("✕").strip()
        for t in field(sheets, "user_ids").find_elements(By.CSS_SELECTOR, ".tag")
    ]
    assert tags == ["Mary Samsonite", "John Doe"]
    # Dates: the picker writes the API's format.
    picker = field(sheets, "start_date").find_element(By.CSS_SELECTOR, "input[type=date]")
    browser.execute_script(PICK, picker, "2026-11-16")
    text = field(sheets, "start_date").find_element(By.CSS_SELECTOR, "input[type=text]")
    assert text.get_attribute("value") == "2026-11-16"
    press(sheets.find_element(By.CSS_SELECTOR, "[aria-label='Test step 2']"))
    until_status(browser, "Step 2 tested alone")
    found = json.loads(step(browser, 2).find_element(By.CSS_SELECTOR, ".result.ok pre").text)
    assert {t["user_id"] for t in found["timesheets"]} == {1000002, 1000003}

    # Date-times: date, time and offset picked, the text is what the API takes.
    add(browser, "create_timesheet")
    made = step(browser, 3)
    start = field(made, "start_date")
    browser.execute_script(
        PICK, start.find_element(By.CSS_SELECTOR, "input[type=datetime-local]"), "2026-11-24T09:00"
    )
    offset = Select(start.find_element(By.CSS_SELECTOR, "select.offset"))
    press(offset._el)
    offset.select_by_value("-07:00")
    assert start.find_element(By.CSS_SELECTOR, "input[type=text]").get_attribute("value") == (
        "2026-11-24T09:00:00-07:00"
    )

    # The users pick list finds last names, says when nothing matches, and keeps a label.
    users = loaded_pick_list(browser, made, "user_id")
    search = field(made, "user_id").find_element(By.CSS_SELECTOR, ".pick-search")
    search.send_keys("Samson")
    wait(browser).until(lambda _: [o.text for o in users.options][1:] == ["Mary Samsonite"])
    users.select_by_visible_text("Mary Samsonite")
    search.clear()
    search.send_keys("zzz")
    note = field(made, "user_id").find_element(By.CSS_SELECTOR, ".pick-note")
    wait(browser).until(lambda _: note.text == "No matches for “zzz”")
    assert users.first_selected_option.text == "Mary Samsonite"
    search.clear()
    search.send_keys("John")
    wait(browser).until(lambda _: "John Doe" in [o.text for o in users.options])
    assert users.first_selected_option.text == "Mary Samsonite"  # not on this page, still named

    # Checkboxes sit beside their labels.
    ticks = set_trigger(browser, "new_or_changed_records").find_elements(
        By.CSS_SELECTOR, "label.check"
    )
    watched = manifest.trigger("new_or_changed_records").by_key["record_types"]
    assert len(ticks) == len(watched.choices) > 3
    for label in ticks:
        tick = label.find_element(By.TAG_NAME, "input").rect
        words = label.find_element(By.TAG_NAME, "span").rect
        assert abs((tick["y"] + tick["height"] / 2) - (words["y"] + words["height"] / 2)) < 4
        assert 0 <= words["x"] - (tick["x"] + tick["width"]) < 12

    # The Run button's text meets 4.5:1 against its background.
    ratio = browser.execute_script(
        """
        const style = getComputedStyle(document.getElementById("run-flow"));
        const lum = (css) => {
          const [r, g, b] = css.match(/\\d+/g).slice(0, 3).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
        """
    )
    assert ratio >= 4.5

    # At 1000 px wide nothing spills sideways.
    browser.set_window_size(1000, 900)
    try:
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
            " Math.max(...[...document.querySelectorAll('.card, .flow-bar, header')]"
            ".map((n) => n.getBoundingClientRect().right))]"
        )
        assert wide[0] <= wide[1]
        assert wide[2] <= wide[1]
    finally:
        browser.set_window_size(1400, 1100)
    no_javascript_errors(browser)


def test_the_page_is_served_compressed_cached_and_light(
    browser: WebDriver, designer: Designer, instance: int, caplog: pytest.LogCaptureFixture
) -> None:
    from qbtime_connector.designer.assets import catalog_asset

    new_flow(browser, designer)  # first away from the flow an earlier test left open
    caplog.set_level(logging.INFO, logger="qbtime_connector.designer.serving")
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})
    new_flow(browser, designer, instance)  # two loads of the page
    # A 3-step flow with a trigger: the page loads those four entries of the catalog, builds
    # the palette groups it opened and no Map menu.
    set_trigger(browser, "new_or_changed_records")
    used = ["get_users", "get_timesheets", "create_timesheet"]
    for key in used:
        add(browser, key)
    wait(browser).until(
        lambda d: all(
            s.get_attribute("data-loaded")
            for s in d.find_elements(By.CSS_SELECTOR, "select[data-pick-list]")
        )
    )
    elements = browser.execute_script("return document.getElementsByTagName('*').length")
    assert elements < 600  # 589 with 28 actions all in the palette; 1,061 with 103
    assert browser.find_elements(By.CSS_SELECTOR, ".picker") == []
    opened = browser.find_elements(By.CSS_SELECTOR, ".palette-group[open]")
    assert [g.get_attribute("data-category") for g in opened] == ["Timesheets", "Users"]
    built = browser.find_elements(By.CSS_SELECTOR, "#palette-actions .palette-item")
    assert len(built) == sum(len(g.find_elements(By.TAG_NAME, "li")) for g in opened)
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => ({name: e.name,"
        " encoded: e.encodedBodySize, decoded: e.decodedBodySize}))"
    )
    catalog = [e for e in loaded if "/api/catalog" in e["name"]]
    assert sorted(e["name"].split("/api/catalog/")[1].split("?")[0] for e in catalog) == [
        "actions/create_timesheet",
        "actions/get_timesheets",
        "actions/get_users",
        "index",
        "triggers/new_or_changed_records",
    ]
    index = next(e for e in catalog if "/index?" in e["name"])
    assert index["encoded"] * 4 < index["decoded"]  # gzip on the wire
    # What the page took of the catalog is a small part of it.
    assert sum(e["decoded"] for e in catalog) * 6 < len(catalog_asset().body)

    # Saved and loaded again: nothing of the catalog or the static files is fetched again.
    press(browser.find_element(By.ID, "save-flow"))
    until_status(browser, "Saved")
    browser.refresh()
    ready(browser)
    wait(browser).until(lambda d: order(d) == used)
    served = [r.getMessage() for r in caplog.records]
    assert sorted(line for line in served if "/static/" in line or "/icon.png" in line) == [
        "GET /icon.png 200",
        "GET /static/designer.css 200",
        "GET /static/designer.js 200",
        "GET /static/forms.js 200",
        "GET /static/picker.js 200",
    ]
    assert sorted(line for line in served if "/api/catalog" in line) == [
        "GET /api/catalog/actions/create_timesheet 200",
        "GET /api/catalog/actions/get_timesheets 200",
        "GET /api/catalog/actions/get_users 200",
        "GET /api/catalog/index 200",
        "GET /api/catalog/triggers/new_or_changed_records 200",
    ]
    no_javascript_errors(browser)


def test_an_entry_whose_fetch_failed_is_asked_again_when_next_needed(
    browser: WebDriver, designer: Designer
) -> None:
    """A fetch that got no answer at all (the designer restarting) is not kept as the entry."""
    new_flow(browser, designer)
    browser.execute_script(
        """
        window.realFetch = window.fetch;
        window.fetch = (url, options) => String(url).includes("/api/catalog/actions/get_groups")
          ? Promise.reject(new TypeError("Failed to fetch")) : window.realFetch(url, options);
        """
    )
    add(browser, "get_groups")  # drawn by name: no entry, so no form
    assert step(browser, 1).find_elements(By.CSS_SELECTOR, ".field") == []
    browser.execute_script("window.fetch = window.realFetch")
    add(browser, "get_groups")
    wait(browser).until(lambda d: step(d, 2).find_elements(By.CSS_SELECTOR, ".field"))
