"""End to end in a real browser: ``offramp serve`` on loopback, headless Debian Chromium, keys only.

xterm.js draws the terminal on a canvas, so the test reads the text the page's terminal holds from
its buffer: an init script catches textual-serve's client object when it is built. A PNG of the
page after the first choice is saved in the test's temporary folder (path printed with -s).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver: "
                              "apt-get install -y chromium chromium-driver"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium: pip install -e '.[test]'")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from game.engine import Session, load_library  # noqa: E402
from game.paths import story_paths  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WAIT = 30.0  # seconds any one screen may take to appear on a slow CI machine
SEEDS = range(1, 25)  # the served game rolls its own seed: expect only what every one of these seeds shows

# textual-serve keeps its xterm.js Terminal in a client object that sets this property once, at start-up.
CATCH_CLIENT = """
Object.defineProperty(Object.prototype, 'unicode11Addon', {
  configurable: true,
  set(value) {
    window.__offrampClient = this;
    Object.defineProperty(this, 'unicode11Addon', {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
READ_SCREEN = """
const client = window.__offrampClient;
if (!client || !client.terminal) return null;
const term = client.terminal, buffer = term.buffer.active, rows = [];
for (let y = 0; y < term.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  rows.push(line ? line.translateToString(true) : '');
}
return rows.join('\\n');
"""


def words(text: str) -> str:
    return " ".join(re.sub(r"[^\w']+", " ", text).split()).lower()


def shows(screen: str, text: str, n: int = 3) -> bool:
    """Whether the first n words of text are on one line of the screen (columns sit side by side)."""
    phrase = " ".join(words(text).split()[:n])
    return any(phrase in words(line) for line in screen.splitlines())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(port),
                             "--saves-dir", str(tmp_path / "saves")],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + WAIT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail(f"offramp serve did not listen on port {port}:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/"
    os.killpg(proc.pid, signal.SIGTERM)  # the server and the game processes it started
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    log.close()


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--no-first-run",
                "--window-size=1100,700"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_CLIENT})
    yield driver
    driver.quit()


class Page:
    """The served game as the browser shows it: read the terminal, press keys."""

    def __init__(self, driver):
        self.driver = driver

    def screen(self) -> str:
        return self.driver.execute_script(READ_SCREEN) or ""

    def wait_for(self, test, what: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.1)
        pytest.fail(f"the page never showed {what}; it showed:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        self.driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")
        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()


def tutorial_facts():
    """What the tutorial's picker entry and first choice must show, whatever seed the game rolls."""
    library = load_library(story_paths())
    scenario = library.scenarios["tutorial"]
    first_choice, after = None, None
    for seed in SEEDS:
        session = Session(scenario, seed)
        choice = session.choices()[0]
        first_choice = first_choice or session.render(choice.text)
        texts = {beat.text for beat in session.choose(choice.id) if beat.text}
        after = texts if after is None else after & texts
    return library.scenario_files["tutorial"].data["summary"], first_choice, after


def test_play_the_tutorial_in_headless_chromium(server, browser, tmp_path):
    summary, first_choice, after_first = tutorial_facts()
    page = Page(browser)
    browser.get(server + "?trainee=browser-test")  # the address an instructor hands out

    page.wait_for(lambda s: "offramp" in s, "the title screen with the name offramp")
    page.press("n")
    screen = page.wait_for(lambda s: "Choose a scenario" in s, "the scenario picker")
    for _ in range(screen.count("\n")):  # the picker lists one scenario a line: walk to the tutorial
        if shows(page.screen(), summary, 4):
            break
        page.press(Keys.DOWN)
        time.sleep(0.2)
    page.wait_for(lambda s: shows(s, summary, 4), "the tutorial's summary in the picker")
    page.press(Keys.ENTER)
    before = page.wait_for(lambda s: shows(s, first_choice, 4), "the tutorial's first choice")

    page.press("1")
    news = [text for text in after_first if not shows(before, text, 4)]
    assert news, "every beat that follows the first choice was already on screen: nothing to look for"
    after = page.wait_for(lambda s: any(shows(s, text, 4) for text in news), "the narrative after choice 1")
    assert after != before

    saves = tmp_path / "saves" / "trainees" / "browser-test"
    deadline = time.monotonic() + WAIT
    while not list(saves.glob("autosave-tutorial.json")):
        assert time.monotonic() < deadline, "no autosave in the trainee's own folder"
        time.sleep(0.2)

    shot = tmp_path / "browser-tutorial.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000, "the screenshot is blank"
    print(f"screenshot: {shot}")


def test_the_page_asks_who_is_playing_and_opens_that_trainee_s_game(server, browser, tmp_path):
    page = Page(browser)
    browser.get(server)
    field = browser.find_element("name", "trainee")
    field.send_keys("Ana Silva", Keys.ENTER)
    page.wait_for(lambda s: "offramp" in s, "the title screen after the name was given")
    assert "trainee=Ana+Silva" in browser.current_url
    page.press("n")
    page.wait_for(lambda s: "Choose a scenario" in s and "First Contact" in s, "the scenario picker, loaded")
    page.press(Keys.ENTER)
    page.wait_for(lambda s: "Round 1" in s, "the first round")
    page.press("1")
    deadline = time.monotonic() + WAIT
    folder = tmp_path / "saves" / "trainees" / "ana-silva"
    while not list(folder.glob("autosave-*.json")):
        assert time.monotonic() < deadline, "no autosave in ana-silva's folder"
        time.sleep(0.2)


def test_free_text_in_the_browser_a_typed_line_is_read_and_answered(server, browser, tmp_path):
    """The served game is the same app: choose free text on the picker, type lines, see the story answer."""
    page = Page(browser)
    browser.get(server + "?trainee=free-text")
    page.wait_for(lambda s: "offramp" in s, "the title screen")
    page.press("n")
    page.wait_for(lambda s: "First Contact" in s, "the scenario picker, loaded")
    page.press("t")
    page.wait_for(lambda s: "type your own words" in s, "free text chosen on the picker")
    page.press(Keys.ENTER)
    page.wait_for(lambda s: "Say it in your own words" in s, "the line to type on, once the reader is ready")

    page.press("hello there", Keys.ENTER)  # no tactic in it: the story asks again, nothing advances
    page.wait_for(lambda s: "What exactly are you saying?" in s, "the adversary asking what was meant")
    assert "Round 1" in page.screen()

    line = "It sounds like you feel cornered and that nobody listens to you"
    page.press(Keys.CONTROL + "u", line, Keys.ENTER)  # training mode: the reading first
    page.wait_for(lambda s: "Read as: Label" in s, "how the line was read")
    page.press(Keys.ENTER)
    page.wait_for(lambda s: "Round 2" in s and shows(s, line, 5), "the trainee's own words in the story, round 2")
    saves = tmp_path / "saves" / "trainees" / "free-text" / "autosave-tutorial.json"
    deadline = time.monotonic() + WAIT
    while not saves.exists() or line not in saves.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the autosave never held the typed line"
        time.sleep(0.2)
