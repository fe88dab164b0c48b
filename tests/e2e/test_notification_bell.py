"""The navigation's bell follows without a reload: a notice that arrives while a page is open
shows its count (and the bell's accessible name says it), and reading it in another tab takes
the count away again."""

import re

import pytest
from playwright.sync_api import expect

from recruitment import services
from recruitment.models import Role
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 20_000  # the bell asks every 15 s


def test_a_notice_reaches_the_open_page_and_reading_it_clears_the_bell(
    browser, live_server, sign_in
):
    agency_user = AgencyUserFactory(
        agency=AgencyFactory(name="Apex Talent Partners"), role=Role.AGENCY_ADMIN
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, agency_user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    bell = page.locator("#notification-bell")
    expect(bell).to_have_accessible_name("Notifications")
    expect(bell.locator(".count-badge")).to_have_count(0)

    services.notify(users=[agency_user], text="Data Engineer was sent to you", url="/agency/")
    expect(bell.locator(".count-badge")).to_have_text("1", timeout=POLL)
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    page.screenshot(path="/tmp/shots-rules/bell-count-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name=re.compile("^Notifications, 1 unread"))).to_be_visible()
    page.screenshot(path="/tmp/shots-rules/bell-count-390.png")

    # Read in a second tab: the first one's bell follows.
    other = context.new_page()
    other.goto(f"{live_server.url}/notifications/")
    other.get_by_role("button", name=re.compile("Data Engineer was sent to you")).click()
    expect(other.locator("#notification-bell .count-badge")).to_have_count(0)
    expect(bell.locator(".count-badge")).to_have_count(0, timeout=POLL)
    expect(bell).to_have_accessible_name("Notifications")
    context.close()
