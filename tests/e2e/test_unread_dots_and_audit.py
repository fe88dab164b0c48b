"""What the other side wrote shows as a dot beside the candidate on the lists and the candidate
page; an Owner reads deleted messages' text in the audit log, except a private thread's."""

import pytest
from playwright.sync_api import expect

from messaging.services import threads as services
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


def test_unread_dots_on_lists_and_the_candidate_page(browser, live_server, sign_in):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    job = JobFactory(title="QA Engineer", coordinator=recruiter)
    agency = AgencyFactory(name="Apex Talent")
    assignment = AssignmentFactory(job=job, agency=agency)
    agency_user = AgencyUserFactory(agency=agency, email="jack@apex.example", first_name="Jack")
    grace, alan = (
        submit(agency_user, assignment, first_name=first, last_name=last, email=email).candidate
        for first, last, email in [
            ("Grace", "Hopper", "grace@example.com"),
            ("Alan", "Turing", "alan@example.com"),
        ]
    )
    services.candidate_thread_start(actor=agency_user, candidate=grace, body="Any news on Grace?")
    services.candidate_thread_start(actor=recruiter, candidate=alan, body="Alan starts Monday.")

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/people/")
    dots = page.get_by_role("img", name="Unread", exact=True)
    expect(dots).to_have_count(1)
    expect(page.get_by_role("row").filter(has=dots)).to_contain_text("Grace Hopper")
    page.screenshot(path="/tmp/msg-dots-people-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/msg-dots-people-390.png", full_page=True)

    page.get_by_role("link", name="Grace Hopper").click()
    heading = page.locator("#conversation h2")
    expect(heading.get_by_role("img", name="Unread", exact=True)).to_have_count(1)
    expect(page.locator("#inbox-unread")).to_have_text("")  # read now: the count followed
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("img", name="Unread", exact=True)).to_have_count(0)

    agency_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(agency_page, agency_user.email, PASSWORD)
    agency_page.goto(f"{live_server.url}/agency/candidates/")
    dots = agency_page.get_by_role("img", name="Unread", exact=True)
    expect(dots).to_have_count(1)
    expect(agency_page.get_by_role("row").filter(has=dots)).to_contain_text("Alan Turing")
    agency_page.screenshot(path="/tmp/msg-dots-mine-1280.png", full_page=True)


def test_the_audit_log_shows_deleted_text_but_not_a_private_threads(browser, live_server, sign_in):
    owner = UserFactory(role=Role.OWNER, email="olga@employer.example")
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    agency = AgencyFactory(name="Apex Talent")
    agency_user = AgencyUserFactory(agency=agency, email="jack@apex.example", first_name="Jack")
    general = services.general_thread_start(
        actor=recruiter, agency=agency, subject="Fee schedule", body="Our fee is 18% this year."
    )
    private = services.private_thread_start(
        actor=recruiter, partner=agency_user, body="Between us: the budget is 90k."
    )
    for message in (general, private):
        services.message_delete(actor=recruiter, message=message)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    expect(page.get_by_text("Our fee is 18% this year.")).to_be_visible()
    expect(page.get_by_text("Text kept, not shown: private thread")).to_be_visible()
    expect(page.get_by_text("budget is 90k")).to_have_count(0)
    expect(page.get_by_text("Started a private thread between")).to_be_visible()
    page.screenshot(path="/tmp/msg-audit-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/msg-audit-390.png", full_page=True)
