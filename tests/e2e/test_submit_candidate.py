"""Issue 3's golden path: an agency submits a candidate with a resume and sees "New", the parsing
progress and then the summary; a second agency submits the same email and sees "Duplicate" without
the first agency's name; the recruiter gets the duplicate email and opens its link."""

import re
from pathlib import Path

import pytest
from django.core import mail
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
RESUME = Path(__file__).resolve().parents[2].parent / "shared" / "resumes" / "rendercv_classic.pdf"


def _submit(page, live_server, job, email):
    page.goto(f"{live_server.url}/agency/submit/")
    page.get_by_label(re.compile("^Job")).select_option(
        label=f"{job.title} · {job.ref} · {job.location}"
    )
    page.get_by_label(re.compile("^First name")).fill("John")
    page.get_by_label(re.compile("^Last name")).fill("Doe")
    page.get_by_label(re.compile("^Email")).fill(email)
    page.get_by_label(re.compile("^Phone")).fill("+33 6 12 34 56 78")
    return page


def test_submission_outcomes_parsing_and_duplicate_alert(
    browser, live_server, sign_in, celery_queue
):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    job = JobFactory(title="Data Engineer", coordinator=recruiter)
    apex, bright = (
        AgencyFactory(name="Apex Talent", country="FR"),
        AgencyFactory(name="Brightpath", country="US"),
    )
    AssignmentFactory(job=job, agency=apex)
    AssignmentFactory(job=job, agency=bright)
    apex_user = AgencyUserFactory(agency=apex, email="jack@apex.example")
    bright_user = AgencyUserFactory(agency=bright, email="leo@bright.example")

    # Apex submits John Doe with his resume: New, and the parse waits in the queue.
    apex_page = browser.new_context().new_page()
    sign_in(apex_page, apex_user.email, PASSWORD)
    _submit(apex_page, live_server, job, "john.doe@email.com")
    apex_page.get_by_label(re.compile("^Resume")).set_input_files(str(RESUME))
    apex_page.get_by_role("button", name="Submit candidate").click()
    expect(apex_page.get_by_role("heading", name="Outcome: New")).to_be_visible()
    expect(apex_page.get_by_role("progressbar")).to_be_visible()
    expect(apex_page.get_by_text("Waiting to be read")).to_be_visible()

    # A real worker picks it up; the page polls and shows the extracted resume.
    celery_queue()
    expect(apex_page.get_by_role("heading", name="Work experience")).to_be_visible(timeout=20000)
    expect(apex_page.get_by_role("heading", name="Education")).to_be_visible()
    resume = apex_page.locator(".resume")
    expect(resume).to_contain_text("John Doe")  # name and email read from the file
    expect(resume).to_contain_text("john.doe@email.com")
    expect(resume).to_contain_text("RenderCV reads a CV written in a YAML file")  # its summary
    expect(resume).to_contain_text("Co-Founder & CTO · Nexus AI")
    expect(apex_page.get_by_role("progressbar")).to_have_count(0)

    # Brightpath submits the same email: Duplicate, and nothing says who owns him.
    bright_page = browser.new_context().new_page()
    sign_in(bright_page, bright_user.email, PASSWORD)
    _submit(bright_page, live_server, job, "John.Doe@email.com")
    bright_page.get_by_role("button", name="Submit candidate").click()
    expect(bright_page.get_by_role("heading", name="Outcome: Duplicate")).to_be_visible()
    assert "Apex" not in bright_page.content()

    # The recruiter gets one duplicate alert and its link opens people search, pre-filtered.
    for _ in range(100):
        alerts = [
            m
            for m in mail.outbox
            if m.subject.startswith("Possible duplicate") and "Brightpath" in m.body
        ]
        if alerts:
            break
        bright_page.wait_for_timeout(100)
    assert len(alerts) == 1 and alerts[0].to == [recruiter.email]
    path = re.search(r"https?://[^/]+(/people/\?duplicates_of=\S+)", alerts[0].body).group(1)
    recruiter_page = browser.new_context().new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.goto(live_server.url + path)
    expect(recruiter_page.get_by_text("Potential duplicates of a submission")).to_be_visible()
    row = recruiter_page.get_by_role("row", name=re.compile("John Doe"))
    expect(row).to_have_count(1)
    expect(row.get_by_text("Apex Talent")).to_be_visible()
    row.get_by_role("link", name="John Doe").click()
    expect(recruiter_page.get_by_role("heading", name="Ownership")).to_be_visible()
    expect(recruiter_page.get_by_text("Duplicate").first).to_be_visible()
