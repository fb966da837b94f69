"""The designer in a real browser: build, connect, test one step, map by sample, run, read.

One headless Chromium and one designer serve the whole module; each test opens a new flow.
Every wait is on a condition of the page, never on time.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from qbtime_connector import manifest
from qbtime_connector.designer import Designer

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)
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


def wait(driver: WebDriver, seconds: float = 20) -> WebDriverWait[WebDriver]:
    # The page is rebuilt (or left, for the sign-in) while we wait: look again, don't fail.
    return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException])


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
    return driver.find_elements(By.CSS_SELECTOR, "#steps > li.card")


def step(driver: WebDriver, number: int) -> WebElement:
    return steps(driver)[number - 1]


def field(card: WebElement, key: str) -> WebElement:
    return card.find_element(By.CSS_SELECTOR, f'.field[data-input="{key}"]')


def order(driver: WebDriver) -> list[str]:
    return [str(c.get_attribute("data-action")) for c in steps(driver)]


def add(driver: WebDriver, key: str) -> None:
    before = len(steps(driver))
    driver.find_element(By.CSS_SELECTOR, f".palette-item[data-key={key}] .add").click()
    wait(driver).until(lambda d: len(steps(d)) == before + 1)


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

    # A customer instance, connected through the sandbox's authorize page and back.
    browser.find_element(By.ID, "new-instance-name").send_keys("Acme Plumbing")
    browser.find_element(By.ID, "add-instance").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "not connected")
    browser.find_element(By.ID, "connect-instance").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "connected")
    assert counts(designer, "GET /api/v1/authorize") == 1
    assert "access_token" not in browser.page_source
    browser.find_element(By.ID, "test-instance").click()
    assert "Ada Admin" in until_status(browser, "works")

    # The manifest's trigger can replace the manual start, and be taken away again.
    trigger = browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key]:not([data-key=''])"
    )
    browser.execute_script(DRAG_AND_DROP, trigger, browser.find_element(By.ID, "trigger-slot"))
    trigger_card = browser.find_element(By.CSS_SELECTOR, "#trigger-slot .card.trigger")
    ticks = trigger_card.find_elements(
        By.CSS_SELECTOR, '.field[data-input="record_types"] label.check'
    )
    record_types = next(
        i
        for i in manifest.trigger(trigger.get_attribute("data-key")).value_inputs
        if i.key == "record_types"
    )
    assert [t.text for t in ticks] == [c["label"] for c in record_types.choices]
    trigger_card.find_element(By.CSS_SELECTOR, "button[aria-label='Remove trigger']").click()
    assert "Manual start" in browser.find_element(By.ID, "trigger-slot").text

    # Step 1 from the keyboard, step 2 dragged from the palette onto the canvas.
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Add Get Users']").send_keys(
        Keys.ENTER
    )
    palette_item = browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=action][data-key=create_timesheet]"
    )
    browser.execute_script(DRAG_AND_DROP, palette_item, browser.find_element(By.ID, "steps"))
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
    browser.find_element(By.ID, "run-flow").click()
    until_status(browser, "stopped")
    card = step(browser, 2)
    message = field(card, "start_date").find_element(By.CSS_SELECTOR, ".field-error").text
    assert "next Tuesday" in message
    assert field(card, "end_date").find_element(By.CSS_SELECTOR, ".field-error").text == ""
    assert "Result" in step(browser, 1).find_element(By.CSS_SELECTOR, ".results").text
    assert counts(designer, "POST /api/v1/timesheets") == 0

    # Fixed, run again: the created timesheet is read back on the page.
    start = field(card, "start_date").find_element(By.TAG_NAME, "input")
    start.clear()
    start.send_keys("2026-11-24T09:00:00-07:00")
    browser.find_element(By.ID, "run-flow").click()
    until_status(browser, "succeeded")
    result = step(browser, 2).find_element(By.CSS_SELECTOR, ".result.ok pre").text
    assert '"_status_code": 200' in result
    assert f'"user_id": {chosen_user}' in result
    assert '"jobcode_id": 2000002' in result
    assert counts(designer, "POST /api/v1/timesheets") == 1

    # The flow was saved: a reload shows the same two steps with their values.
    browser.refresh()
    wait(browser).until(lambda d: len(steps(d)) == 2)
    again = field(step(browser, 2), "start_date").find_element(By.TAG_NAME, "input")
    assert again.get_attribute("value") == "2026-11-24T09:00:00-07:00"
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
    for group in groups:  # each action under the category it declares
        category = group.get_attribute("data-category")
        keys_shown = [
            i.get_attribute("data-key") for i in group.find_elements(By.CSS_SELECTOR, "li")
        ]
        assert keys_shown == [a["key"] for a in actions if a["category"] == category]

    # Search by label as you type; groups left empty are hidden.
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

    # Palette items take the focus and add themselves with Enter; the focus stays.
    item = browser.find_element(By.CSS_SELECTOR, ".palette-item[data-key=get_users]")
    item.send_keys(Keys.ENTER)
    browser.find_element(By.CSS_SELECTOR, ".palette-item[data-key=get_job_codes]").send_keys(
        Keys.ENTER
    )
    keys(browser, Keys.ENTER)
    assert order(browser) == ["get_users", "get_job_codes", "get_job_codes"]
    assert focused(browser).get_attribute("data-key") == "get_job_codes"

    # Every action of the manifest gets its form; fields grouped by `group`.
    for action in actions:
        add(browser, action["key"])
    for card, action in zip(steps(browser)[3:], actions, strict=True):
        shown_inputs = [
            f.get_attribute("data-input") for f in card.find_elements(By.CSS_SELECTOR, ".field")
        ]
        assert sorted(shown_inputs) == sorted(i["key"] for i in action["inputs"])
    while len(steps(browser)) > 3:
        step(browser, 4).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']").click()

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

    # Max Pages shows only when Fetch All is Yes (its visible_when).
    users = step(browser, 2)
    for details in users.find_elements(By.CSS_SELECTOR, "details"):
        details.find_element(By.TAG_NAME, "summary").click()
    max_pages = field(users, "max_pages")
    assert not max_pages.is_displayed()
    Select(field(users, "fetch_all").find_element(By.TAG_NAME, "select")).select_by_visible_text(
        "Yes"
    )
    assert max_pages.is_displayed()
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
    browser.find_element(By.CSS_SELECTOR, "[aria-label='Test trigger']").click()
    until_status(browser, "recent records to map from")
    sampled = browser.find_element(By.CSS_SELECTOR, "#trigger-slot .result.ok pre").text
    assert len(json.loads(sampled)["records"]) == 3
    assert designer.app is not None
    assert designer.app.storage.trigger_state(flow_id(browser), instance) is None

    # Step 1 alone; then step 2 maps a user id by the value step 1 returned.
    users_read = counts(designer, "GET /api/v1/users")
    step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Test step 1']").click()
    until_status(browser, "Step 1 tested alone")
    assert counts(designer, "GET /api/v1/users") == users_read + 1
    card = step(browser, 2)
    field(card, "user_id").find_element(By.CSS_SELECTOR, ".map-button").click()
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
    _picker_field(browser, "steps.s1.users.1.id").click()
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
    card.find_element(By.CSS_SELECTOR, "[aria-label='Preview the request of step 2']").click()
    until_status(browser, "nothing was sent")
    preview = step(browser, 2).find_element(By.CSS_SELECTOR, ".preview")
    assert preview.find_element(By.CSS_SELECTOR, ".request-line").text == "POST /timesheets"
    body = json.loads(preview.find_element(By.CSS_SELECTOR, "pre").text)
    assert body["data"][0]["user_id"] == 1000002
    assert counts(designer, "POST /api/v1/timesheets") == writes

    # Step 2 alone: step 1 is not run again, the trigger is not polled.
    step(browser, 2).find_element(By.CSS_SELECTOR, "[aria-label='Test step 2']").click()
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
    field(sheets, "user_ids").find_element(By.CSS_SELECTOR, ".map-button").click()
    Select(
        browser.find_element(
            By.CSS_SELECTOR, ".picker select[aria-label='Which item of Step 1 · Get Users › users']"
        )
    ).select_by_visible_text("each")
    _picker_field(browser, "steps.s1.users.*.id").click()
    each = field(step(browser, 3), "user_ids").find_element(By.CSS_SELECTOR, ".chip")
    assert each.text == "Step 1 · Users › each › id"
    field(step(browser, 3), "start_date").find_element(By.TAG_NAME, "input").send_keys("2026-11-16")
    step(browser, 3).find_element(By.CSS_SELECTOR, "[aria-label='Test step 3']").click()
    until_status(browser, "Step 3 tested alone")
    # A result longer than the card shows is cut, and opened in full on request.
    step(browser, 3).find_element(By.XPATH, ".//button[starts-with(text(), 'Show all')]").click()
    found = json.loads(step(browser, 3).find_element(By.CSS_SELECTOR, ".result.ok pre").text)
    assert len({t["user_id"] for t in found["timesheets"]}) > 1
    step(browser, 3).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']").click()

    # Removing step 1 flags the mapping beside its field, and the run does not start.
    step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Remove step']").click()
    flagged = field(step(browser, 1), "user_id")
    message = "Step s1 was removed: map User ID from another value."
    assert flagged.find_element(By.CSS_SELECTOR, ".field-error").text == message
    assert "Removed step s1" in flagged.find_element(By.CSS_SELECTOR, ".chip").text
    sent = counts(designer, "")
    browser.find_element(By.ID, "run-flow").click()
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
    browser.find_element(By.ID, "run-flow").click()
    until_status(browser, "succeeded")
    per_page = field(step(browser, 1), "per_page").find_element(By.TAG_NAME, "input")
    per_page.clear()
    per_page.send_keys("0")
    browser.find_element(By.ID, "run-flow").click()
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
    runs[1].find_element(By.TAG_NAME, "summary").click()
    box = runs[1].find_element(By.CSS_SELECTOR, ".result.ok pre")
    assert 1 <= len(json.loads(box.text)["users"]) <= 6  # Per Page 6
    # Long results scroll by keyboard, and open in full.
    assert box.get_attribute("tabindex") == "0"
    scroll = "return arguments[0].scrollTop"
    box.click()
    keys(browser, Keys.PAGE_DOWN)
    wait(browser).until(lambda d: d.execute_script(scroll, box) > 0)
    runs[1].find_element(By.XPATH, ".//button[text()='Expand']").click()
    full = "return arguments[0].scrollHeight <= arguments[0].clientHeight"
    assert browser.execute_script(full, box)
    shot(browser.find_element(By.ID, "history"), "designer-run-history.png", tmp_path)

    # Undo and Redo: buttons, Ctrl+Z and Ctrl+Shift+Z, for adds, moves, removals and edits.
    add(browser, "get_job_codes")
    keys(browser, Keys.CONTROL, "z")
    assert order(browser) == ["get_users"]
    keys(browser, Keys.CONTROL, Keys.SHIFT, "z")
    assert order(browser) == ["get_users", "get_job_codes"]
    step(browser, 2).find_element(By.CSS_SELECTOR, "[aria-label='Move up']").click()
    assert order(browser) == ["get_job_codes", "get_users"]
    browser.find_element(By.ID, "undo").click()
    assert order(browser) == ["get_users", "get_job_codes"]
    browser.find_element(By.ID, "redo").click()
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
    browser.find_element(By.ID, "new-flow").click()
    asked = wait(browser).until(expected_conditions.alert_is_present())
    assert asked.text == "Discard the unsaved changes to “Weekly users”?"
    asked.dismiss()
    assert order(browser) == ["get_job_codes", "get_users"]
    Select(browser.find_element(By.ID, "flow-select")).select_by_visible_text("New flow")
    wait(browser).until(expected_conditions.alert_is_present()).dismiss()
    assert order(browser) == ["get_job_codes", "get_users"]
    browser.find_element(By.ID, "save-flow").click()
    until_status(browser, "Saved")
    assert browser.execute_script(leaving) is False
    browser.find_element(By.ID, "new-flow").click()
    wait(browser).until(lambda d: order(d) == [])

    # A dead token is never "connected": after a failed call, and on load.
    assert designer.sandbox is not None
    with designer.sandbox.state.lock:
        designer.sandbox.state.access.clear()
        designer.sandbox.state.refresh.clear()
    add(browser, "get_users")
    step(browser, 1).find_element(By.CSS_SELECTOR, "[aria-label='Test step 1']").click()
    until_status(browser, "Step 1 failed")
    assert "AuthError" in step(browser, 1).find_element(By.CSS_SELECTOR, ".result.error").text
    wait(browser).until(
        lambda d: d.find_element(By.ID, "instance-status").text == "needs reconnecting"
    )
    new_flow(browser, designer, instance)
    assert browser.find_element(By.ID, "instance-status").text == "needs reconnecting"
    assert browser.find_element(By.ID, "connect-instance").text == "Reconnect"
    browser.find_element(By.ID, "connect-instance").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "connected")
    no_javascript_errors(browser)


def test_three_runs_of_one_flow_at_once_report_each_new_record_once(
    browser: WebDriver, designer: Designer, instance: int
) -> None:
    from tests.conftest import new_worker

    new_flow(browser, designer, instance)
    browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key=new_or_changed_records]"
    ).click()
    browser.find_element(By.ID, "run-flow").click()  # the first poll: its starting point
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
    card.find_element(By.CSS_SELECTOR, "details.advanced summary").click()
    pairs = field(card, "additional_query_parameters")
    pairs.find_element(By.CSS_SELECTOR, ".add-pair").click()
    assert focused(browser).get_attribute("aria-label") == "Additional Query Parameters key 1"
    keys(browser, "customfields", Keys.TAB, '{"3000001": "Item 1"}')
    pairs.find_element(By.CSS_SELECTOR, ".add-pair").send_keys(Keys.ENTER)
    keys(browser, "employee_number", Keys.TAB, "42")

    def body() -> dict[str, Any]:
        card.find_element(By.CSS_SELECTOR, "[aria-label='Preview the request of step 1']").click()
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
    as_text.click()
    assert body()["employee_number"] == "42"
    pairs.find_element(By.CSS_SELECTOR, "[aria-label='Remove pair 1']").click()
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
    sheets.find_element(By.CSS_SELECTOR, "[aria-label='Test step 2']").click()
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
    offset._el.click()
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
    browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key=new_or_changed_records]"
    ).click()
    for label in browser.find_elements(By.CSS_SELECTOR, "#trigger-slot label.check"):
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
    caplog.set_level(logging.INFO, logger="qbtime_connector.designer.serving")
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})
    new_flow(browser, designer, instance)  # two loads of the page
    browser.refresh()  # and a third
    ready(browser)
    served = [r.getMessage() for r in caplog.records]
    # Each static file and the icon came from the server once; the catalog is asked again
    # each time, and answered "not modified".
    assert sorted(line for line in served if "/static/" in line or "/icon.png" in line) == [
        "GET /icon.png 200",
        "GET /static/designer.css 200",
        "GET /static/designer.js 200",
        "GET /static/forms.js 200",
        "GET /static/picker.js 200",
    ]
    assert [line for line in served if "/api/catalog" in line] == [
        "GET /api/catalog 200",
        "GET /api/catalog 304",
        "GET /api/catalog 304",
    ]
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => ({name: e.name,"
        " encoded: e.encodedBodySize, decoded: e.decodedBodySize}))"
    )
    catalog = next(e for e in loaded if e["name"].endswith("/api/catalog"))
    assert catalog["encoded"] * 5 < catalog["decoded"]  # gzip on the wire
    # A 3-step flow with a trigger builds its Map menus only when opened.
    browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key=new_or_changed_records]"
    ).click()
    for key in ["get_users", "get_timesheets", "create_timesheet"]:
        add(browser, key)
    wait(browser).until(
        lambda d: all(
            s.get_attribute("data-loaded")
            for s in d.find_elements(By.CSS_SELECTOR, "select[data-pick-list]")
        )
    )
    elements = browser.execute_script("return document.getElementsByTagName('*').length")
    assert elements < 700
    assert browser.find_elements(By.CSS_SELECTOR, ".picker") == []
    no_javascript_errors(browser)
