"""Issue 13: a recruiter edits the terms of a job sent to an agency from the job's agencies panel;
the agency's user is told (a notice leading to the job page) and sees the new terms. Then the job
is withdrawn: the notice leads to the job page, which says so and offers no submission."""

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
)

pytestmark = pytest.mark.django_db(transaction=True)


def _screens(page, name):
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/agency-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_recruiter_edits_terms_then_withdraws_and_the_agency_is_told(browser, sign_in):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    job = JobFactory(title="Site Reliability Engineer", coordinator=recruiter)
    apex = AgencyFactory(name="Apex Talent")
    jack = AgencyUserFactory(role=Role.AGENCY_RECRUITER, agency=apex, email="jack@apex.example")
    AssignmentFactory(
        job=job, agency=apex, instructions="Salary 95-110k.", fee_percent=18, max_submissions=5
    )

    recruiter_page = browser.new_context().new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.get_by_role("link", name="Jobs").first.click()
    recruiter_page.get_by_role("link", name=job.title).click()
    panel = recruiter_page.locator("#job-agencies")
    panel.get_by_role("link", name="Edit the terms for Apex Talent").click()
    expect(recruiter_page.get_by_role("heading", name="Terms for Apex Talent")).to_be_visible()
    expect(recruiter_page.get_by_label("Instructions")).to_have_value("Salary 95-110k.")
    recruiter_page.get_by_label("Instructions").fill("Salary 100-120k; German required.")
    recruiter_page.get_by_label("Fee %").fill("20")
    recruiter_page.get_by_label("Submission cap").fill("8")
    _screens(recruiter_page, "terms-edit")
    recruiter_page.get_by_role("button", name="Save and tell the agency").click()
    expect(recruiter_page.get_by_text("The terms for Apex Talent were saved")).to_be_visible()
    expect(panel.get_by_text("Up to 8 submissions")).to_be_visible()
    expect(panel.get_by_text("Fee 20%")).to_be_visible()
    _screens(recruiter_page, "job-agencies-panel")

    agency_page = browser.new_context().new_page()
    sign_in(agency_page, jack.email, PASSWORD)
    agency_page.get_by_role("link", name=re.compile("^Notifications")).click()
    notice = agency_page.get_by_role("button", name=re.compile("Terms changed for"))
    expect(notice).to_contain_text("fee 18% → 20%; submission cap 5 → 8; new instructions")
    notice.click()
    expect(agency_page.get_by_role("heading", name=job.title)).to_be_visible()
    expect(agency_page.get_by_text("Salary 100-120k; German required.")).to_be_visible()
    expect(agency_page.get_by_text("Up to 8 submissions")).to_be_visible()
    expect(agency_page.get_by_text("Fee 20%")).to_be_visible()
    expect(agency_page.get_by_role("link", name="Submit a candidate")).to_be_visible()

    questions = []
    recruiter_page.once(
        "dialog", lambda dialog: questions.append(dialog.message) or dialog.accept()
    )
    panel.get_by_role("button", name="Withdraw").click()
    expect(recruiter_page.get_by_text("was withdrawn from Apex Talent")).to_be_visible()
    expect(panel.get_by_role("link", name=re.compile("Edit the terms"))).to_have_count(0)

    agency_page.get_by_role("link", name=re.compile("^Notifications")).click()
    agency_page.get_by_role("button", name=re.compile("Job withdrawn: ")).click()
    expect(agency_page.get_by_role("heading", name=job.title)).to_be_visible()
    expect(agency_page.get_by_role("note")).to_contain_text("withdrew this job from Apex Talent")
    expect(agency_page.get_by_role("link", name="Submit a candidate")).to_have_count(0)
    _screens(agency_page, "withdrawn-job")
    agency_page.get_by_role("link", name="Your submissions").click()
    expect(agency_page).to_have_url(re.compile(rf"/agency/candidates/\?job={job.pk}$"))
