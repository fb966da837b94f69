"""The designer in a real browser: drag, fill from a pick list, connect, run, read, fix an error."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbtime_connector.designer import Designer

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver (.ci/services installs them)",
    ),
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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    driver = start_browser(tmp_path / "browser")
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


@pytest.fixture
def designer(tmp_path: Path) -> Iterator[Designer]:
    with Designer(data_dir=tmp_path / "designer") as running:
        yield running


BATCH = 7  # actions on the canvas at once in the every-action test
# Each step card's action and the inputs its form shows, read in one round trip.
CARDS_AND_FIELDS = """
return [...document.querySelectorAll("#steps > li.card")].map((card) => [
  card.dataset.action,
  [...card.querySelectorAll(".field")].map((field) => field.dataset.input),
]);
"""


def wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    # The page is rebuilt (or left, for the sign-in) while we wait: look again, don't fail.
    return WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException])


def step(driver: WebDriver, number: int) -> WebElement:
    return driver.find_elements(By.CSS_SELECTOR, "#steps > li.card")[number - 1]


def field(card: WebElement, key: str) -> WebElement:
    return card.find_element(By.CSS_SELECTOR, f'.field[data-input="{key}"]')


def order(driver: WebDriver) -> list[str]:
    cards = driver.find_elements(By.CSS_SELECTOR, "#steps > li.card")
    return [str(c.get_attribute("data-action")) for c in cards]


def loaded_pick_list(driver: WebDriver, card: WebElement, key: str) -> Select:
    select = Select(field(card, key).find_element(By.CSS_SELECTOR, "select[data-pick-list]"))
    wait(driver).until(
        lambda _: select._el.get_attribute("data-loaded") and len(select.options) > 1
    )
    return select


def test_a_builder_drags_fills_connects_runs_and_sees_errors_beside_fields(
    browser: WebDriver, designer: Designer, tmp_path: Path
) -> None:
    browser.get(designer.url)
    wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))

    # A customer instance, connected through the sandbox's authorize page and back.
    browser.find_element(By.ID, "new-instance-name").send_keys("Acme Plumbing")
    browser.find_element(By.ID, "add-instance").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "not connected")
    browser.find_element(By.ID, "connect-instance").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "instance-status").text == "connected")
    assert designer.sandbox is not None
    assert designer.sandbox.state.count("GET /api/v1/authorize") == 1
    assert designer.sandbox.state.count("POST /api/v1/grant") == 1
    assert "access_token" not in browser.page_source
    browser.find_element(By.ID, "test-instance").click()
    wait(browser).until(lambda d: "works" in d.find_element(By.ID, "flow-status").text)
    assert "Ada Admin" in browser.find_element(By.ID, "flow-status").text

    # The manifest's trigger can replace the manual start, and be taken away again.
    trigger = browser.find_element(
        By.CSS_SELECTOR, ".palette-item[data-kind=trigger][data-key]:not([data-key=''])"
    )
    browser.execute_script(DRAG_AND_DROP, trigger, browser.find_element(By.ID, "trigger-slot"))
    trigger_card = browser.find_element(By.CSS_SELECTOR, "#trigger-slot .card.trigger")
    ticks = trigger_card.find_elements(
        By.CSS_SELECTOR, '.field[data-input="record_types"] label.check'
    )
    assert [t.text for t in ticks] == ["Timesheets", "Users", "Job Codes"]
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
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#steps > li.card")) == 2)
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
    wait(browser).until(lambda d: "stopped" in d.find_element(By.ID, "flow-status").text)
    card = step(browser, 2)
    message = field(card, "start_date").find_element(By.CSS_SELECTOR, ".field-error").text
    assert "next Tuesday" in message
    assert field(card, "end_date").find_element(By.CSS_SELECTOR, ".field-error").text == ""
    assert "Result" in step(browser, 1).find_element(By.CSS_SELECTOR, ".result").text
    assert designer.sandbox.state.count("POST /api/v1/timesheets") == 0

    # Fixed, run again: the created timesheet is read back on the page.
    start = field(card, "start_date").find_element(By.TAG_NAME, "input")
    start.clear()
    start.send_keys("2026-11-24T09:00:00-07:00")
    browser.find_element(By.ID, "run-flow").click()
    wait(browser).until(lambda d: "succeeded" in d.find_element(By.ID, "flow-status").text)
    result = step(browser, 2).find_element(By.CSS_SELECTOR, ".result.ok pre").text
    assert '"_status_code": 200' in result
    assert f'"user_id": {chosen_user}' in result
    assert '"jobcode_id": 2000002' in result
    assert designer.sandbox.state.count("POST /api/v1/timesheets") == 1
    browser.save_screenshot(str(tmp_path / "designer.png"))
    assert (tmp_path / "designer.png").stat().st_size > 0

    # The flow was saved: a reload shows the same two steps with their values.
    browser.refresh()
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#steps > li.card")) == 2)
    again = field(step(browser, 2), "start_date").find_element(By.TAG_NAME, "input")
    assert again.get_attribute("value") == "2026-11-24T09:00:00-07:00"


def test_every_action_of_the_manifest_gets_a_form_and_conditional_inputs_follow(
    browser: WebDriver, designer: Designer
) -> None:
    from qbtime_connector.designer.catalog import catalog

    browser.get(designer.url)
    wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    actions = catalog()["actions"]
    # A few actions at a time: the canvas redraws every card (and its mapping lists) on each
    # change, so one canvas of all of them took a minute. The first batch stays for what follows.
    batches = [actions[start : start + BATCH] for start in range(0, len(actions), BATCH)]
    for batch in reversed(batches):
        for action in batch:
            browser.find_element(
                By.CSS_SELECTOR, f".palette-item[data-kind=action][data-key={action['key']}] .add"
            ).click()
        shown = browser.execute_script(CARDS_AND_FIELDS)
        assert [key for key, _ in shown] == [a["key"] for a in batch]
        for (_, fields), action in zip(shown, batch, strict=True):
            assert sorted(fields) == sorted(i["key"] for i in action["inputs"])  # by `group`
        if batch is not batches[0]:
            for _ in batch:
                step(browser, 1).find_element(
                    By.CSS_SELECTOR, "button[aria-label='Remove step']"
                ).click()
            assert order(browser) == []

    # Reorder by dragging a step's header onto another step, and with the arrows; remove one.
    keys = [a["key"] for a in batches[0]]
    cards = browser.find_elements(By.CSS_SELECTOR, "#steps > li.card")
    last_head = cards[-1].find_element(By.CSS_SELECTOR, ".card-head")
    browser.execute_script(DRAG_AND_DROP, last_head, cards[0])
    assert order(browser) == [keys[-1], *keys[:-1]]
    step(browser, 2).find_element(By.CSS_SELECTOR, "button[aria-label='Move up']").click()
    assert order(browser)[:2] == [keys[0], keys[-1]]
    step(browser, 1).find_element(By.CSS_SELECTOR, "button[aria-label='Remove step']").click()
    assert order(browser) == [keys[-1], *keys[1:-1]]
    cards = browser.find_elements(By.CSS_SELECTOR, "#steps > li.card")

    # Max Pages shows only when Fetch All is Yes (its visible_when).
    users = next(c for c in cards if c.get_attribute("data-action") == "get_users")
    for details in users.find_elements(By.CSS_SELECTOR, "details"):
        details.find_element(By.TAG_NAME, "summary").click()
    max_pages = field(users, "max_pages")
    assert not max_pages.is_displayed()
    Select(field(users, "fetch_all").find_element(By.TAG_NAME, "select")).select_by_visible_text(
        "Yes"
    )
    assert max_pages.is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
