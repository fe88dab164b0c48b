"""Issue 2's golden path: a recruiter sends a job to an agency; the agency admin invites a colleague;
the colleague accepts the emailed link, signs in and sees the job; a user of another agency does not."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from recruitment.models import Role
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for_mail(page, count):
    for _ in range(100):
        if len(mail.outbox) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} emails, got {len(mail.outbox)}")


def test_job_reaches_invited_colleague_and_not_the_other_agency(
    browser, live_server, sign_in, celery_worker
):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    job = JobFactory(title="Site Reliability Engineer", coordinator=recruiter)
    apex, other = AgencyFactory(name="Apex Talent"), AgencyFactory(name="Other Agency")
    apex_admin = AgencyUserFactory(role=Role.AGENCY_ADMIN, agency=apex, email="amelia@apex.example")
    outsider = AgencyUserFactory(role=Role.AGENCY_ADMIN, agency=other, email="olga@other.example")

    # The recruiter sends the job from the job list.
    recruiter_page = browser.new_context().new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.get_by_role("link", name="Jobs").first.click()
    recruiter_page.get_by_role("row", name=re.compile(job.title)).get_by_role(
        "link", name="Send to agency"
    ).click()
    recruiter_page.get_by_label(re.compile("Apex Talent")).check()
    recruiter_page.get_by_label("Instructions").fill("Strong on-call experience; salary 95-110k.")
    recruiter_page.get_by_label("Submission cap").fill("5")
    recruiter_page.get_by_role("button", name="Assign job").click()
    expect(recruiter_page.get_by_text("was sent to Apex Talent")).to_be_visible()
    expect(recruiter_page.locator("#job-agencies").get_by_text("Apex Talent")).to_be_visible()
    _wait_for_mail(recruiter_page, 1)  # the worker emailed the agency admin
    assert mail.outbox[0].to == [apex_admin.email] and job.ref in mail.outbox[0].subject

    # The agency admin invites a colleague.
    admin_page = browser.new_context().new_page()
    sign_in(admin_page, apex_admin.email, PASSWORD)
    expect(admin_page.get_by_role("heading", name=job.title)).to_be_visible()
    admin_page.get_by_role("link", name="Team").click()
    admin_page.get_by_label("First name").fill("Nia")
    admin_page.get_by_label("Last name").fill("Brooks")
    admin_page.get_by_label("Email").fill("nia@apex.example")
    admin_page.get_by_role("button", name="Send invitation").click()
    expect(admin_page.get_by_text("Invitation sent to nia@apex.example")).to_be_visible()
    _wait_for_mail(admin_page, 2)
    link = live_server.url + re.search(
        r"https?://[^/]+(/invitations/accept/\S+/)", mail.outbox[1].body
    ).group(1)

    # The colleague accepts the link, signs in with the new password and sees the job.
    colleague = browser.new_context().new_page()
    colleague.goto(link)
    colleague.get_by_label(re.compile(r"^Password")).fill("nia-secret-passphrase")
    colleague.get_by_label("Repeat password").fill("nia-secret-passphrase")
    colleague.get_by_role("button", name="Create my account").click()
    expect(colleague.get_by_role("heading", name=job.title)).to_be_visible()
    colleague.locator(".user-menu summary").click()
    colleague.get_by_role("button", name="Sign out").click()
    sign_in(colleague, "nia@apex.example", "nia-secret-passphrase")
    colleague.get_by_role("link", name=job.title).click()
    expect(colleague.get_by_text("Strong on-call experience")).to_be_visible()
    expect(colleague.get_by_text(job.ref).first).to_be_visible()
    job_url = colleague.url

    # The link works once.
    colleague.goto(link)
    expect(colleague.get_by_text("already been used")).to_be_visible()

    # A user of another agency sees nothing of it.
    outsider_page = browser.new_context().new_page()
    sign_in(outsider_page, outsider.email, PASSWORD)
    expect(outsider_page.get_by_text("No jobs yet")).to_be_visible()
    assert outsider_page.goto(job_url).status == 404
