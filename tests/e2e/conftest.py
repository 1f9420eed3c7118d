"""Browser journeys: the app served on loopback, driven by Playwright in Debian's Chromium.

Never downloads a browser. Without /usr/bin/chromium the group is skipped with its reason, and
with CI=true that is a failure. Playwright itself is a dev requirement: imported directly, so a broken
install fails loudly instead of skipping the group.
"""
import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import IN_CI

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _unavailable_reason() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    reason = _unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"browser group cannot run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def live_server(app, db):
    """Serve the test app on a free loopback port for the duration of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture()
def demo_directory(db):
    """The demo units, groups and users without the demo plan (journeys import it themselves)."""
    from app.services.demo.seed import seed_directory, seed_users

    units, _ = seed_directory()
    users = seed_users(units, "tdnv-demo")
    db.session.commit()
    return users


def browser_login(page, base_url: str, username: str, password: str = "tdnv-demo"):
    page.goto(f"{base_url}/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
