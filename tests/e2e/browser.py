"""Headless Chromium through selenium and Debian's chromium-driver, as a visitor's browser."""
import importlib.util
import shutil
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = (1280, 900)
PHONE = (390, 844)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def chromium_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
    if not browser or not Path(driver).exists():
        raise RuntimeError("chromium and chromium-driver are needed: `make test-deps` installs them")
    return browser, driver


def axe_source() -> str:
    """axe-core as shipped inside the axe-playwright-python wheel (installed with --no-deps,
    so the package itself is never imported: it would need Playwright)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("axe-playwright-python is needed: `make test-deps` installs it")
    return (Path(list(spec.submodule_search_locations)[0]) / "axe.min.js").read_text()


class Browser:
    """One Chromium with its own profile: cookies start empty, as for a first visit."""

    def __init__(self, base: str, size=DESKTOP, scheme: str = "light", gpc: bool = False, javascript: bool = True,
                 region: str | None = None):
        browser, driver = chromium_paths()
        options = Options()
        options.binary_location = browser
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={size[0]},{size[1]}"):
            options.add_argument(argument)
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(driver), options=options)
        self.base = base
        self.size = size
        # Headless windows are at least 500 px wide; a phone's viewport has to be emulated.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 600})
        self.emulate(scheme)
        # The region header as a trusted proxy in front of the server would add it (the test's
        # server trusts loopback), and Global Privacy Control's header.
        headers = ({"X-Visitor-Region": region} if region else {}) | ({"Sec-GPC": "1"} if gpc else {})
        if headers:
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})
        if gpc:
            # Global Privacy Control as a browser that has it switched on: the property too, set
            # before any page script runs.
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
                "source": "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});"})

    def emulate(self, scheme: str) -> None:
        """`light`, `dark`, or `print` (print media, light scheme)."""
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "media": "print" if scheme == "print" else "",
            "features": [{"name": "prefers-color-scheme", "value": "dark" if scheme == "dark" else "light"}]})

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, condition, timeout: float = 10, message: str = ""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda _: condition(), message)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def consent_ready(self) -> None:
        """Waits until the banner script has read its configuration and decided whether to ask:
        it unhides the footer's "Cookie settings" button just before deciding (print media
        hides the button, so the attribute is what tells)."""
        self.wait(lambda: self.js("return document.querySelector('[data-consent-open]').hidden === false"),
                  message="consent.js did not start")

    def banner(self):
        found = self.find_all(".consent[role=dialog]")
        return found[0] if found else None

    def wait_for_banner(self):
        return self.wait(self.banner, message="the consent banner did not appear")

    def cookie_state(self) -> dict | None:
        import json
        import urllib.parse
        cookie = self.driver.get_cookie("redline_consent")
        return json.loads(urllib.parse.unquote(cookie["value"])) if cookie else None

    def wait_for_receipt(self) -> dict:
        """The cookie once the server has answered with a receipt."""
        return self.wait(lambda: (self.cookie_state() or {}).get("receipt") and self.cookie_state(),
                         message="the choice was not recorded")

    def active(self):
        return self.driver.switch_to.active_element

    def console_errors(self) -> list[dict]:
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def axe(self, tags=WCAG_TAGS) -> list[dict]:
        """Runs axe-core on the page as it is now and returns its violations."""
        if not self.js("return typeof window.axe === 'object'"):
            self.js(axe_source())
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))"
            ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", tags)
        return result

    def screenshot(self, path: Path) -> None:
        """The whole page, not only the viewport, at the window's width."""
        import base64
        path.parent.mkdir(parents=True, exist_ok=True)
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))

    def quit(self) -> None:
        self.driver.quit()


def browsers_for(base: str):
    """A fixture's body: opens Browsers on `base` as the test asks for them, then quits every one."""
    opened: list[Browser] = []

    def _open(**options) -> Browser:
        browser = Browser(base, **options)
        opened.append(browser)
        return browser

    yield _open
    for browser in opened:
        browser.quit()


def wait_until(condition, timeout: float = 10, message: str = "condition not met"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutException(message)
