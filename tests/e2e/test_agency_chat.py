"""Issue 4's golden path, two browsers side by side: a recruiter writes on a candidate thread; the
agency user sees the unread dot and the message appear without reloading and answers; the recruiter
receives it; a burst of three messages sends one email, and none to the person who read them."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from messaging import services
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


def _wait_for(page, condition, seconds=10):
    """Poll, running beat's notification sweep as beat would (this test starts a worker, no beat)."""
    for _ in range(seconds * 10):
        services.thread_notifications_send()
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out waiting for the worker")


def test_live_chat_between_recruiter_and_agency(
    browser, live_server, sign_in, celery_worker, settings
):
    settings.MESSAGE_NOTIFY_DELAY_SECONDS = (
        5  # longer than the 3 s chat poll, as in production (120 s)
    )
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    job = JobFactory(title="QA Engineer", coordinator=recruiter)
    agency = AgencyFactory(name="Apex Talent")
    assignment = AssignmentFactory(job=job, agency=agency)
    agency_user = AgencyUserFactory(agency=agency, email="jack@apex.example", first_name="Jack")
    agency_admin = AgencyUserFactory(
        agency=agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    candidate = submit(agency_user, assignment, first_name="Grace", last_name="Hopper").candidate
    thread = services.candidate_thread_start(
        actor=agency_user, candidate=candidate, body="Any news on Grace?"
    ).thread

    agency_page = browser.new_context().new_page()
    sign_in(agency_page, agency_user.email, PASSWORD)
    agency_page.goto(f"{live_server.url}/agency/inbox/")
    expect(agency_page.get_by_role("link", name=re.compile("Grace Hopper"))).to_be_visible()
    expect(agency_page.get_by_role("img", name="Unread")).to_have_count(0)

    # The recruiter answers on the candidate's page.
    recruiter_page = browser.new_context().new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.goto(f"{live_server.url}/candidates/{candidate.public_id}/")
    conversation = recruiter_page.locator("#conversation")
    expect(conversation.get_by_text("Any news on Grace?")).to_be_visible()
    conversation.get_by_label("Message").fill("She impressed the team. Interview on Monday?")
    conversation.get_by_role("button", name="Send").click()
    expect(conversation.get_by_text("She impressed the team")).to_be_visible()

    # Without reloading, the agency inbox shows the unread dot; the thread shows the message.
    expect(agency_page.get_by_role("img", name="Unread")).to_have_count(1, timeout=10000)
    agency_page.get_by_role("link", name=re.compile("Grace Hopper")).click()
    expect(agency_page.get_by_text("She impressed the team")).to_be_visible()
    agency_page.get_by_label("Message").fill("Monday works, 10am.")
    agency_page.get_by_role("button", name="Send").click()
    expect(agency_page.get_by_label("Message")).to_have_value("")

    # The recruiter receives the answer without reloading.
    expect(conversation.get_by_text("Monday works, 10am.")).to_be_visible(timeout=10000)

    # A burst of three: one email to the agency admin, none to Jack, who is reading along.
    _wait_for(
        agency_page,
        lambda: any("Monday works" in m.body for m in mail.outbox if m.to == [agency_admin.email]),
    )
    mail.outbox.clear()
    for text in ("Bring ID.", "Ask for Hannah.", "Parking is at the back."):
        conversation.get_by_label("Message").fill(text)
        conversation.get_by_role("button", name="Send").click()
        expect(conversation.get_by_text(text)).to_be_visible()
    expect(agency_page.get_by_text("Parking is at the back.")).to_be_visible(timeout=10000)
    _wait_for(agency_page, lambda: any(m.to == [agency_admin.email] for m in mail.outbox))
    with pytest.raises(AssertionError):  # a second email, if any, would have arrived by now
        _wait_for(agency_page, lambda: len(mail.outbox) > 1, seconds=6)
    to_admin = [m for m in mail.outbox if m.to == [agency_admin.email]]
    assert len(to_admin) == 1 and "3 new messages" in to_admin[0].subject
    assert all(
        text in to_admin[0].body
        for text in ("Bring ID.", "Ask for Hannah.", "Parking is at the back.")
    )
    assert not [m for m in mail.outbox if m.to == [agency_user.email]]
    assert f"/threads/{thread.public_id}/" in to_admin[0].body
