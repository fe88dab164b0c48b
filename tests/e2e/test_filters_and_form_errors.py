"""Issue 13, in the pages: the agency dashboard's figures follow its filters, a reversed date range
is reported at its end (dashboard and people search), and an over-long internal note is refused
with the real reason, keeping the text."""

import pytest
from django.utils import timezone
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


def _screens(page, name):
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/agency-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def tab(browser):
    return browser.new_context().new_page()


@pytest.fixture
def scene():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    apex = AgencyFactory(name="Apex Talent")
    admin = AgencyUserFactory(role=Role.AGENCY_ADMIN, agency=apex, email="amelia@apex.example")
    assignment = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=apex)
    ada = submit(admin, assignment, first_name="Ada", email="ada@example.com")
    submit(admin, assignment, first_name="Ada", email="ada@example.com")  # previously submitted
    submit(admin, assignment, first_name="Grace", last_name="Hopper", email="grace@example.com")
    return recruiter, admin, ada


def _figure(page, label):
    return page.locator(".metric", has_text=label).locator(".metric-value")


def test_dashboard_figures_follow_the_filters_and_a_reversed_range_is_reported(tab, sign_in, scene):
    _recruiter, admin, _ada = scene
    sign_in(tab, admin.email, PASSWORD)
    tab.get_by_role("link", name="Agency Pool").click()
    expect(_figure(tab, "Added")).to_have_text("2")
    expect(_figure(tab, "Previously submitted")).to_have_text("1")

    tab.get_by_label("Search").fill("grace")
    expect(tab.get_by_text("Submissions matching the filters")).to_be_visible()
    expect(_figure(tab, "Added")).to_have_text("1")
    expect(_figure(tab, "Previously submitted")).to_have_text("0")

    tab.get_by_label("Search").fill("")
    today = timezone.localdate()
    tab.get_by_label("From").fill(today.isoformat())
    tab.get_by_label("To", exact=True).fill(today.replace(year=today.year - 1).isoformat())
    errors = tab.locator(".filter-errors")
    expect(errors).to_contain_text("To: The end date is before the start date.")
    expect(_figure(tab, "Added")).to_have_text("2")  # from today on: the start still applies
    expect(tab.get_by_role("link", name="Grace Hopper")).to_be_visible()
    _screens(tab, "dashboard-reversed-range")


def test_people_search_reports_a_reversed_range(tab, sign_in, scene):
    recruiter, _admin, _ada = scene
    sign_in(tab, recruiter.email, PASSWORD)
    tab.get_by_role("link", name="People").click()
    today = timezone.localdate()
    tab.get_by_label("From").fill(today.isoformat())
    tab.get_by_label("To", exact=True).fill(today.replace(year=today.year - 1).isoformat())
    expect(tab.locator(".filter-errors")).to_contain_text("The end date is before the start date.")
    expect(tab.get_by_role("link", name="Grace Hopper")).to_be_visible()


def test_an_over_long_note_is_refused_with_the_real_reason_and_kept(
    tab, live_server, sign_in, scene
):
    recruiter, _admin, ada = scene
    sign_in(tab, recruiter.email, PASSWORD)
    tab.goto(f"{live_server.url}/candidates/{ada.candidate.public_id}/")
    note = tab.get_by_label("Internal note")
    # The browser's own maxlength stops typing at 5,000; a pasted or scripted body can go past it.
    note.evaluate("field => field.removeAttribute('maxlength')")
    note.fill("Long story. " + "x" * 9988)
    tab.get_by_role("button", name="Add note").click()
    refusal = "Ensure this value has at most 5000 characters (it has 10000)."
    expect(tab.get_by_text(refusal)).to_be_visible()
    expect(tab.get_by_label("Internal note")).to_have_value("Long story. " + "x" * 9988)
    expect(tab.get_by_text("Write something")).to_have_count(0)
    _screens(tab, "note-too-long")
    tab.get_by_label("Internal note").fill("Strong on distributed systems.")
    tab.get_by_role("button", name="Add note").click()
    expect(tab.get_by_text("Internal note added.")).to_be_visible()
    expect(tab.get_by_text("Strong on distributed systems.")).to_be_visible()
