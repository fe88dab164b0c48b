"""Issue 13 in Chromium: a recruiter edits a candidate's contact info, with an error at the field
first."""

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


def _shots(page, name):
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/identity-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_recruiter_edits_contact_info_with_an_error_at_the_field_first(
    browser, live_server, sign_in
):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    apex = AgencyFactory(name="Apex Talent", country="FR")
    job = JobFactory(title="Data Engineer", coordinator=recruiter)
    ada = submit(AgencyUserFactory(agency=apex), AssignmentFactory(job=job, agency=apex))
    staff = browser.new_context().new_page()
    sign_in(staff, recruiter.email, PASSWORD)
    staff.goto(f"{live_server.url}/candidates/{ada.candidate.public_id}/")
    staff.get_by_role("link", name="Edit contact info").click()
    staff.get_by_label(re.compile("^Phone")).fill("12")
    staff.get_by_role("button", name="Save contact info").click()
    contact_phone = staff.locator(".field", has=staff.get_by_label(re.compile("^Phone")))
    expect(contact_phone.locator(".errorlist")).to_contain_text("“12”")
    _shots(staff, "contact-error")
    staff.get_by_label(re.compile("^Phone")).fill("06 98 76 54 32")  # Apex is French
    staff.get_by_label("The candidate agreed to be texted at this number").check()
    staff.get_by_role("button", name="Save contact info").click()
    expect(staff.get_by_text("Saved the contact info of Ada Lovelace.")).to_be_visible()
    expect(staff.locator(".page-header .subtitle")).to_contain_text("+33698765432")
    _shots(staff, "contact-saved")
