"""Issue 4's golden path, two browsers side by side: a recruiter writes on a candidate thread; the
agency user sees the unread dot and the message appear without reloading and answers; the recruiter
receives it; a burst of three messages sends one email, and none to the person who read them."""

import re

import pytest
from django.core import mail
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


def _people():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    job = JobFactory(title="QA Engineer", coordinator=recruiter)
    agency = AgencyFactory(name="Apex Talent")
    agency_user = AgencyUserFactory(agency=agency, email="jack@apex.example", first_name="Jack")
    assignment = AssignmentFactory(job=job, agency=agency)
    candidate = submit(agency_user, assignment, first_name="Grace", last_name="Hopper").candidate
    return recruiter, agency_user, candidate


def _scroll_state(page):
    return page.locator("#message-list").evaluate(
        "list => ({top: list.scrollTop, gap: list.scrollHeight - list.scrollTop - list.clientHeight})"
    )


def test_the_chat_opens_on_the_newest_message_and_keeps_the_readers_place(
    browser, live_server, sign_in
):
    recruiter, agency_user, candidate = _people()
    thread = services.candidate_thread_start(
        actor=agency_user, candidate=candidate, body="Message 00: any news on Grace?"
    ).thread
    for n in range(1, 40):
        author = recruiter if n % 2 else agency_user
        services.message_post(actor=author, thread=thread, body=f"Message {n:02d}: " + "news " * 30)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, agency_user.email, PASSWORD)
    page.goto(f"{live_server.url}/threads/{thread.public_id}/")
    assert _scroll_state(page)["gap"] <= 1  # at once, not after the first poll
    expect(page.get_by_text("Message 39:")).to_be_in_viewport()
    page.screenshot(path="/tmp/msg-chat-newest-1280.png", full_page=True)

    # A reader who scrolled up stays where they are while a message arrives by polling.
    page.locator("#message-list").evaluate("list => { list.scrollTop = 300; }")
    page.wait_for_timeout(300)
    services.message_post(actor=recruiter, thread=thread, body="Arrived while you read")
    expect(page.get_by_text("Arrived while you read")).to_be_attached(timeout=10000)
    page.wait_for_timeout(3500)  # another poll, and whatever it might have moved
    assert _scroll_state(page)["top"] == 300
    expect(page.get_by_text("Arrived while you read")).not_to_be_in_viewport()

    # At the bottom, new messages keep the reader there.
    page.locator("#message-list").evaluate("list => { list.scrollTop = list.scrollHeight; }")
    services.message_post(actor=recruiter, thread=thread, body="And the newest of all")
    expect(page.get_by_text("And the newest of all")).to_be_in_viewport(timeout=10000)
    assert _scroll_state(page)["gap"] <= 1

    # The candidate page's Communication panel opens on the newest message too, on a phone.
    recruiter_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.goto(f"{live_server.url}/candidates/{candidate.public_id}/")
    conversation = recruiter_page.locator("#conversation")
    conversation.get_by_text("And the newest of all").scroll_into_view_if_needed()
    expect(conversation.get_by_text("And the newest of all")).to_be_in_viewport()
    recruiter_page.screenshot(path="/tmp/msg-chat-candidate-390.png", full_page=True)


def test_a_deletion_and_the_unread_count_reach_the_other_reader_without_reload(
    browser, live_server, sign_in
):
    recruiter, agency_user, candidate = _people()
    thread = services.candidate_thread_start(
        actor=agency_user, candidate=candidate, body="Any news on Grace?"
    ).thread
    url = f"{live_server.url}/threads/{thread.public_id}/"

    author = browser.new_context().new_page()
    sign_in(author, recruiter.email, PASSWORD)
    author.goto(url)
    reader = browser.new_context().new_page()
    sign_in(reader, agency_user.email, PASSWORD)
    reader.goto(url)

    author.get_by_label("Message").fill("Salary could be 95k, keep it quiet")
    author.get_by_role("button", name="Send").click()
    expect(reader.get_by_text("Salary could be 95k")).to_be_visible(timeout=10000)

    author.once("dialog", lambda dialog: dialog.accept())
    sent = author.locator(".message.is-mine").filter(has_text="Salary could be 95k")
    sent.get_by_role("button", name="Delete").click()
    expect(author.get_by_text("Salary could be 95k")).to_have_count(0)
    expect(author.locator(".message.is-deleted")).to_have_count(1)
    # The reader's copy turns into "Message deleted" in place, without a reload.
    expect(reader.get_by_text("Salary could be 95k")).to_have_count(0, timeout=10000)
    expect(reader.locator(".message.is-deleted")).to_have_text(re.compile("Message deleted"))
    reader.screenshot(path="/tmp/msg-chat-deleted-1280.png", full_page=True)

    # On another page, the reader's navigation count rises when a message comes.
    reader.goto(f"{live_server.url}/agency/")
    badge = reader.locator("#inbox-unread")
    expect(badge.locator(".count-badge")).to_have_count(0)
    author.get_by_label("Message").fill("Interview on Monday?")
    author.get_by_role("button", name="Send").click()
    expect(badge).to_have_text("1", timeout=20000)
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.screenshot(path="/tmp/msg-nav-count-390.png", full_page=True)
