"""Empty pages that tell the truth, in Chromium: a search that finds nothing says so and clears
in one click, a list with nothing in it says how to start, and "Send to agency" with no agency
left to send to explains why and links to inviting one instead of offering a doomed submit."""

import re

import pytest
from playwright.sync_api import expect

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

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _signed_in(browser, sign_in, user, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def _shots(page, name):
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.screenshot(path=f"/tmp/empty-{name}-{viewport['width']}.png", full_page=True)


def test_a_search_that_finds_nothing_says_so_and_clears_in_one_click(browser, live_server, sign_in):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    page = _signed_in(browser, sign_in, owner)
    page.goto(f"{live_server.url}/jobs/")
    expect(page.get_by_role("heading", name="No jobs yet")).to_be_visible()
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)
    _shots(page, "jobs-none")

    page.set_viewport_size(DESKTOP)
    JobFactory(title="Platform Lead", coordinator=owner)
    page.reload()
    page.get_by_role("searchbox").fill("Astronaut")  # htmx swaps the list as one types
    expect(page.get_by_role("heading", name="No jobs match these filters")).to_be_visible()
    expect(page.get_by_role("heading", name="No jobs yet")).to_have_count(0)
    _shots(page, "jobs-filtered")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("link", name="Platform Lead")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_value("")


def test_the_agency_pool_filtered_to_nothing_offers_to_clear(browser, live_server, sign_in):
    assignment = AssignmentFactory(job=JobFactory(title="Platform Lead"))
    admin = AgencyUserFactory(
        agency=assignment.agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    submit(admin, assignment, first_name="Grace", last_name="Hopper", email="grace@example.com")
    page = _signed_in(browser, sign_in, admin, PHONE)
    page.goto(f"{live_server.url}/agency/pool/?q=Lovelace")
    expect(page.get_by_role("heading", name="No candidates match these filters")).to_be_visible()
    _shots(page, "pool-filtered")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()


def test_send_to_agency_with_every_agency_on_the_job_explains_and_links_to_inviting(
    browser, live_server, sign_in
):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    job = JobFactory(title="Platform Lead", coordinator=owner)
    AssignmentFactory(job=job, agency=AgencyFactory(name="Apex Talent Partners"))
    AgencyFactory(name="Gone Agency", is_active=False)
    page = _signed_in(browser, sign_in, owner)
    page.goto(f"{live_server.url}/jobs/{job.public_id}/")
    page.get_by_role("link", name="Send to agency").first.click()
    expect(page.get_by_text("Apex Talent Partners already works on this job.")).to_be_visible()
    expect(page.get_by_role("button", name="Assign job")).to_have_count(0)
    _shots(page, "send-blocked")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Invite an agency").click()
    expect(page).to_have_url(re.compile(r"/agencies/new/$"))
