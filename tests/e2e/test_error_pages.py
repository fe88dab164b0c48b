"""Issue 13: a page a user may not open, or that does not exist, answers with the product's page in
the layout of the user's portal (its navigation and a way home), under the CSP, on desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from recruitment.models import Role
from tests.e2e.test_content_security_policy import ConsoleWatch
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _expect_in_navigation(page, width, link):
    phone = width < 1024  # the links are behind the menu button there
    if phone:
        page.get_by_role("button", name=re.compile(r"^Menu\b")).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link)
    ).to_be_visible()
    if phone:
        page.keyboard.press("Escape")


@pytest.mark.parametrize("width", [1280, 390])
def test_error_pages_in_each_portal(browser, live_server, sign_in, width):
    manager = UserFactory(role=Role.HIRING_MANAGER, email="hank@employer.example")
    agency_user = AgencyUserFactory(
        agency=AgencyFactory(name="Apex Talent"), email="jack@apex.example"
    )
    viewport = {"width": width, "height": 900}

    anonymous = browser.new_context(viewport=viewport).new_page()
    watch = ConsoleWatch(anonymous)
    response = anonymous.goto(f"{live_server.url}/accounts/no-such-page/")
    assert response.status == 404
    expect(anonymous.get_by_role("heading", name="Page not found")).to_be_visible()
    anonymous.screenshot(path=f"/tmp/e2e-404-anonymous-{width}.png", full_page=True)
    anonymous.get_by_role("link", name="Sign in").click()
    expect(anonymous).to_have_url(re.compile(r"/accounts/login/"))

    employer = browser.new_context(viewport=viewport).new_page()
    watch_employer = ConsoleWatch(employer)
    sign_in(employer, manager.email, PASSWORD)
    response = employer.goto(f"{live_server.url}/jobs/new/")
    assert response.status == 403
    expect(employer.get_by_role("heading", name="You can’t open this page")).to_be_visible()
    _expect_in_navigation(employer, width, "People")
    employer.screenshot(path=f"/tmp/e2e-403-employer-{width}.png", full_page=True)
    employer.get_by_role("link", name="Back to jobs").click()
    expect(employer).to_have_url(re.compile(r"/jobs/$"))

    agency = browser.new_context(viewport=viewport).new_page()
    watch_agency = ConsoleWatch(agency)
    sign_in(agency, agency_user.email, PASSWORD)
    response = agency.goto(f"{live_server.url}/agency/pool/")
    assert response.status == 403
    expect(agency.get_by_role("heading", name="You can’t open this page")).to_be_visible()
    _expect_in_navigation(agency, width, "My Candidates")
    agency.screenshot(path=f"/tmp/e2e-403-agency-{width}.png", full_page=True)
    response = agency.goto(
        f"{live_server.url}/agency/submissions/{'0' * 8}-0000-0000-0000-{'0' * 12}/"
    )
    assert response.status == 404
    expect(agency.get_by_role("heading", name="Page not found")).to_be_visible()
    agency.screenshot(path=f"/tmp/e2e-404-agency-{width}.png", full_page=True)
    agency.get_by_role("link", name="Back to your jobs").click()
    expect(agency).to_have_url(re.compile(r"/agency/$"))

    # Chromium reports the error status of the page itself; anything else (a refused style or
    # script, a missing file, a JavaScript error) is a problem.
    problems = watch.problems + watch_employer.problems + watch_agency.problems
    error_statuses = re.compile(
        r"status of 40[34] \(.*\) \(http://[^/]+/(accounts/no-such|jobs/new|agency/)"
    )
    assert [problem for problem in problems if not error_statuses.search(problem)] == []
