"""The top navigation of both portals on a 390 px phone: a menu button opens every link of the
role as a panel (keyboard included), the current section is marked, the unread count stays in
sight and the page never scrolls sideways; at 1280 px the links show inline as before."""

import re

import pytest
from playwright.sync_api import expect

from messaging.services import threads as messaging_services
from recruitment.models import Role
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

NAV = {
    "owner": ["Jobs", "Inbox", "Conversations", "People", "Agencies", "Analytics", "Users", "Settings"],
    "recruiter": ["Jobs", "Inbox", "Conversations", "People", "Agencies", "Analytics"],
    "hiring_manager": ["Jobs", "Inbox", "Conversations", "People"],
    "agency_admin": ["Jobs", "Submit", "My Candidates", "Inbox", "Agency Pool", "Team", "Users", "Analytics"],
    "agency_recruiter": ["Jobs", "Submit", "My Candidates", "Inbox"],
}  # fmt: skip


@pytest.fixture
def world():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    hiring_manager = UserFactory(role=Role.HIRING_MANAGER, email="hana@employer.example")
    job = JobFactory(title="Platform Engineer", coordinator=recruiter, hiring_team=[hiring_manager])
    agency = AgencyFactory(name="Apex Talent Partners International")
    assignment = AssignmentFactory(job=job, agency=agency)
    agency_admin = AgencyUserFactory(
        agency=agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    agency_recruiter = AgencyUserFactory(agency=agency, email="jack@apex.example")
    grace = submit(agency_recruiter, assignment, first_name="Grace", last_name="Hopper")
    # Unread threads on both sides.
    messaging_services.candidate_thread_start(
        actor=agency_recruiter, candidate=grace.candidate, body="Any news on Grace?"
    )
    messaging_services.general_thread_start(
        actor=recruiter, agency=agency, subject="Q3 plans", body="Hello Apex"
    )
    return {
        "owner": UserFactory(role=Role.OWNER, email="olivia@employer.example"),
        "recruiter": recruiter,
        "hiring_manager": hiring_manager,
        "agency_admin": agency_admin,
        "agency_recruiter": agency_recruiter,
    }


def _signed_in(browser, sign_in, user, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url(
        re.compile(r"/(jobs|agency)/$")
    )  # loaded, stylesheet too: layouts are measured
    return page


def _nav_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(rf"^{name}\b")
    )


def _menu_button(page):
    return page.get_by_role("button", name=re.compile(r"^Menu\b"))


def _in_viewport(locator, width):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("role", NAV)
def test_every_link_of_the_role_opens_from_the_menu_on_a_phone(
    browser, live_server, sign_in, world, role
):
    page = _signed_in(browser, sign_in, world[role], PHONE)
    assert _no_sideways_scroll(page)
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # closed until asked

    for name in NAV[role]:
        _menu_button(page).click()
        link = _nav_link(page, name)
        expect(link).to_be_visible()
        assert _in_viewport(link, PHONE["width"]), name
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"{live_server.url}{href}")
        assert _no_sideways_scroll(page), name

        _menu_button(page).click()
        expect(_nav_link(page, name)).to_have_attribute("aria-current", "page")
        page.keyboard.press("Escape")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

    _menu_button(page).click()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_count(len(NAV[role]))  # none missing, none extra


@pytest.mark.parametrize("role", ["recruiter", "agency_admin"])
def test_the_menu_works_from_the_keyboard(browser, live_server, sign_in, world, role):
    page = _signed_in(browser, sign_in, world[role], PHONE)
    menu = _menu_button(page)
    menu.focus()
    page.keyboard.press("Enter")
    expect(_nav_link(page, "Jobs")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(_nav_link(page, "Jobs")).to_be_focused()
    page.keyboard.press("Tab")
    expect(_nav_link(page, NAV[role][1])).to_be_focused()
    page.screenshot(path=f"/tmp/nav-{role}-open-390.png", full_page=True)

    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second link: Inbox or Submit
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.rstrip("/").endswith(("/inbox", "/submit"))


@pytest.mark.parametrize("role", ["recruiter", "agency_admin"])
def test_the_unread_count_stays_in_sight_on_a_phone(browser, live_server, sign_in, world, role):
    page = _signed_in(browser, sign_in, world[role], PHONE)
    menu = _menu_button(page)
    expect(menu).to_have_accessible_name(re.compile(r"^Menu\b.*\b\d+ unread"))
    count = menu.locator(".count-badge")
    expect(count).to_have_text(re.compile(r"^\d+$"))
    assert _in_viewport(count, PHONE["width"])
    menu.click()
    expect(_nav_link(page, "Inbox").locator(".count-badge")).to_have_text(count.inner_text())


@pytest.mark.parametrize("role", ["recruiter", "agency_admin"])
def test_the_bell_and_the_user_menu_fit_a_phone(browser, live_server, sign_in, world, role):
    page = _signed_in(browser, sign_in, world[role], PHONE)
    bell = page.get_by_role("link", name=re.compile("^Notifications"))
    expect(bell).to_be_visible()
    assert _in_viewport(bell, PHONE["width"])
    page.locator(".user-menu > summary").click()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    assert _in_viewport(sign_out, PHONE["width"])
    page.screenshot(path=f"/tmp/nav-{role}-user-menu-390.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 1030])  # 1030: just above the menu's breakpoint
@pytest.mark.parametrize("role", ["owner", "agency_admin"])
def test_the_links_show_inline_on_wide_screens(browser, live_server, sign_in, world, role, width):
    page = _signed_in(browser, sign_in, world[role], {"width": width, "height": 900})
    expect(_menu_button(page)).to_be_hidden()
    topbar = page.locator(".topbar").bounding_box()
    for name in NAV[role]:
        link = _nav_link(page, name)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert (
            topbar["y"] <= box["y"] and box["y"] + box["height"] <= topbar["y"] + topbar["height"]
        )
        assert _in_viewport(link, width)
    last = _nav_link(page, NAV[role][-1]).bounding_box()
    bell = page.get_by_role("link", name=re.compile("^Notifications")).bounding_box()
    assert last["x"] + last["width"] <= bell["x"]  # the links never run under the bell
    expect(_nav_link(page, "Jobs")).to_have_attribute("aria-current", "page")
    expect(_nav_link(page, "Inbox").locator(".count-badge")).to_have_text(re.compile(r"^\d+$"))
    page.screenshot(path=f"/tmp/nav-{role}-{width}.png", full_page=True)
