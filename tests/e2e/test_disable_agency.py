"""Issue 6: an Owner disables an agency while one of its users is signed in elsewhere; that user's
next click lands on the sign-in page with a message saying why."""

import re

import pytest
from playwright.sync_api import expect

from recruitment.models import Role
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_disabling_an_agency_cuts_off_its_signed_in_user(browser, live_server, sign_in):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    apex = AgencyFactory(name="Apex Talent")
    jack = AgencyUserFactory(role=Role.AGENCY_RECRUITER, agency=apex, email="jack@apex.example")

    agency_page = browser.new_context().new_page()
    sign_in(agency_page, jack.email, PASSWORD)
    expect(agency_page.get_by_role("link", name="My Candidates")).to_be_visible()
    expect(agency_page.get_by_role("status")).to_contain_text("Successfully signed in")

    owner_page = browser.new_context().new_page()
    sign_in(owner_page, owner.email, PASSWORD)
    owner_page.get_by_role("link", name="Agencies").click()
    owner_page.get_by_role("link", name="Apex Talent").click()
    questions = []
    owner_page.once("dialog", lambda dialog: questions.append(dialog.message) or dialog.accept())
    owner_page.get_by_role("button", name="Disable agency").click()
    expect(owner_page.get_by_text("Apex Talent was disabled.")).to_be_visible()
    expect(owner_page.get_by_role("button", name="Enable agency")).to_be_visible()
    assert questions[0].startswith("Disable Apex Talent? All its users lose access")

    agency_page.get_by_role("link", name="My Candidates").click()
    expect(agency_page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(agency_page.get_by_role("status")).to_contain_text(
        "Apex Talent's access has been disabled."
    )
    agency_page.goto(f"{live_server.url}/agency/")  # the session is gone, not only this page
    expect(agency_page).to_have_url(re.compile(r"/accounts/login/\?next="))

    # Signing in again is refused with the reason alone, never a green "Successfully signed in".
    for width, height in ((1280, 800), (390, 844)):
        agency_page.set_viewport_size({"width": width, "height": height})
        sign_in(agency_page, jack.email, PASSWORD)
        expect(agency_page).to_have_url(re.compile(r"/accounts/login/$"))
        status = agency_page.get_by_role("status")
        expect(status).to_have_text(
            "Apex Talent's access has been disabled. Contact Northwind Talent for details."
        )
        expect(status.locator(".alert")).to_have_count(1)
        expect(status.locator(".alert-error")).to_have_count(1)
        agency_page.screenshot(path=f"/tmp/agency-disabled-sign-in-{width}.png", full_page=True)
