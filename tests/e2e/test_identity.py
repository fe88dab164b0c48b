"""Issue 13's identity paths in Chromium: an agency types a phone that belongs to someone another
agency presented, is asked at the field without learning who, confirms it; the recruiter finds the
question under People, decides "different people", and the agency sees the new outcome. And a
recruiter edits a candidate's contact info, with an error at the field first."""

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
PHONE = "+33 6 12 34 56 78"


def _shots(page, name):
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/identity-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_contradicting_phone_is_confirmed_then_resolved_by_a_recruiter(
    browser, live_server, sign_in, tmp_path
):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    job = JobFactory(title="Data Engineer", coordinator=recruiter)
    apex, bright = AgencyFactory(name="Apex Talent", country="FR"), AgencyFactory(name="Brightpath")
    apex_user = AgencyUserFactory(agency=apex, email="jack@apex.example")
    bright_user = AgencyUserFactory(agency=bright, email="leo@bright.example")
    ada = submit(apex_user, AssignmentFactory(job=job, agency=apex), phone="+33612345678")
    AssignmentFactory(job=job, agency=bright, max_submissions=3)
    resume = tmp_path / "grace-hopper.txt"
    resume.write_text("Grace Hopper\ngrace@navy.example\nCompilers, COBOL")

    # Brightpath types Grace Hopper with Ada's phone: asked at the phone field, nothing said of Ada.
    agency = browser.new_context().new_page()
    sign_in(agency, bright_user.email, PASSWORD)
    agency.goto(f"{live_server.url}/agency/submit/")
    job_select = agency.get_by_label(re.compile("^Job"))
    expect(job_select.locator("option", has_text="3 of 3 places left")).to_have_count(1)
    job_select.select_option(label=f"{job.title} · {job.ref} · {job.location} · 3 of 3 places left")
    agency.get_by_label(re.compile("^First name")).fill("Grace")
    agency.get_by_label(re.compile("^Last name")).fill("Hopper")
    agency.get_by_label(re.compile("^Phone")).fill(PHONE)
    agency.get_by_label(re.compile("^Email")).fill("grace@navy.example")
    agency.get_by_label(re.compile("^Resume")).set_input_files(str(resume))
    agency.get_by_label("Note to the recruiter").fill("Knows compilers inside out.")
    agency.get_by_role("button", name="Submit candidate").click()
    phone_field = agency.locator(".field", has=agency.get_by_label(re.compile("^Phone")))
    expect(phone_field.locator(".errorlist")).to_contain_text("already known to")
    expect(agency.get_by_label(re.compile("^First name"))).to_have_value("Grace")
    expect(agency.get_by_label("Note to the recruiter")).to_have_value(
        "Knows compilers inside out."
    )
    expect(agency.get_by_text("Keeping grace-hopper.txt")).to_be_visible()
    assert "Ada" not in agency.content() and "Apex" not in agency.content()
    _shots(agency, "asked")

    agency.get_by_label("I checked the phone number: it is right").check()
    agency.get_by_role("button", name="Submit candidate").click()
    expect(agency.get_by_role("heading", name="Outcome: Duplicate")).to_be_visible()
    expect(agency.get_by_text(re.compile("Held: .* checks whether"))).to_be_visible()
    expect(agency.get_by_role("heading", name="Comments and messages")).to_have_count(0)
    assert "Ada" not in agency.content() and "Apex" not in agency.content()
    submission_url = agency.url
    _shots(agency, "held")

    # The recruiter finds the question under People, compares, and decides.
    staff = browser.new_context().new_page()
    sign_in(staff, recruiter.email, PASSWORD)
    staff.goto(f"{live_server.url}/people/")
    staff.get_by_role("link", name=re.compile("Identity questions")).click()
    expect(staff.get_by_role("heading", name="Identity questions")).to_be_visible()
    _shots(staff, "list")
    # Ada's profile flags the question too, and leads to it.
    staff.goto(f"{live_server.url}/candidates/{ada.candidate.public_id}/")
    panel = staff.locator("section", has=staff.get_by_role("heading", name="Identity questions"))
    expect(panel).to_contain_text("Brightpath submitted Grace Hopper with this phone number")
    _shots(staff, "profile-flag")
    panel.get_by_role("link").click()
    expect(staff.get_by_role("heading", name="Grace Hopper or Ada Lovelace?")).to_be_visible()
    expect(staff.get_by_role("link", name="grace-hopper.txt")).to_be_visible()
    _shots(staff, "case")
    staff.get_by_role("radio", name="Different people").check()
    staff.get_by_label("Note (optional)").fill("Different birth dates on the resumes.")
    staff.get_by_role("button", name="Resolve").click()
    expect(staff.get_by_text("Resolved. The agency sees the outcome")).to_be_visible()
    expect(staff.get_by_role("link", name="Grace Hopper")).to_be_visible()

    # Brightpath's page now shows its own new candidate, counted; still nothing of Ada.
    agency.goto(submission_url)
    expect(agency.get_by_role("heading", name="Outcome: New")).to_be_visible()
    expect(agency.get_by_role("heading", name="Communication with")).to_be_visible()
    assert "Ada" not in agency.content()
    _shots(agency, "resolved")


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
