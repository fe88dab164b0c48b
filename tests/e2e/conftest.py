"""Browser tests: Debian's Chromium driven by Playwright against live_server, with a real Celery worker."""

import contextlib
import os

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from recruitment.celery import app as celery_app

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# What a page shows after a poll (every 4 s) or a worker's task may take longer than Playwright's
# 5 s on a busy 2-core machine; a passing expectation returns as soon as it holds.
expect.set_options(timeout=15_000)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return {
        **browser_type_launch_args,
        "args": CHROMIUM_ARGS,
        **({"executable_path": executable} if executable else {}),
    }


@pytest.fixture
def celery_queue(transactional_db):
    """Tasks go to the real Redis broker, as in production; call the fixture to start a real worker."""
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    with contextlib.ExitStack() as workers:

        def start():
            workers.enter_context(
                start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
            )

        try:
            yield start
        finally:
            celery_app.conf.task_always_eager = True


@pytest.fixture
def celery_worker(celery_queue):
    celery_queue()


@pytest.fixture
def sign_in(live_server):
    def login(page, email, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return login
