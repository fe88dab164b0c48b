"""Issue 5's golden path: a recruiter with a seat invites a candidate; the candidate's simulated YES
unlocks the conversation; a text goes out and shows delivered; STOP locks it; a colleague without a
seat reads but cannot send. The console provider plays the candidate, as in `make run`."""

import re

import pytest
from playwright.sync_api import expect

from messaging.services import seats
from recruitment.models import Role
from tests.factories import (
    PASSWORD,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+447400123456"


def _reply_as_candidate(page, live_server, body):
    page.goto(f"{live_server.url}/texting/console/")
    page.get_by_label(re.compile("^From")).fill(PHONE)
    page.get_by_label(re.compile("^Body")).fill(body)
    page.get_by_role("button", name="Receive reply").click()
    expect(page.get_by_text("Reply received")).to_be_visible()


def test_invite_opt_in_text_delivered_stop_and_no_seat(
    browser, live_server, sign_in, celery_worker, settings
):
    settings.TEXTING_PROVIDER = "messaging.providers.ConsoleProvider"
    settings.QUIET_HOURS = (0, 24)  # whatever the hour in London when this runs
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example", first_name="Rita")
    colleague = UserFactory(role=Role.RECRUITER, email="sam@employer.example")
    seats.seat_assign(actor=owner, user=recruiter)
    seats.sender_number_add(actor=owner, number="+447400123999")
    job = JobFactory(title="Support Lead", coordinator=recruiter)
    assignment = AssignmentFactory(job=job)
    agency_user = AgencyUserFactory(agency=assignment.agency)
    application = submit(agency_user, assignment, first_name="Grace", last_name="Hopper", phone=PHONE,
                         text_consent=True).application  # fmt: skip
    texts_url = f"{live_server.url}/applications/{application.public_id}/texts/"

    page = browser.new_context().new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(texts_url)
    expect(page.get_by_text("Consented at submission")).to_be_visible()
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text("Invitation sent. The conversation opens")).to_be_visible()
    expect(page.get_by_text("Reply YES to agree")).to_be_visible()

    # The candidate answers YES (through the console provider's page).
    _reply_as_candidate(page, live_server, "Yes")
    page.goto(texts_url)
    expect(page.get_by_text("Opted in", exact=True)).to_be_visible()

    # A text goes out and is delivered.
    page.get_by_label("SMS").check()
    page.get_by_label(re.compile("^Message")).fill("Hi Grace, are you free for a call on Monday?")
    expect(page.get_by_text("44 / 1600 characters · 1 SMS segment")).to_be_visible()
    page.get_by_role("button", name="Send", exact=True).click()
    text = page.locator("li.text-out", has_text="free for a call")
    expect(text.get_by_text("Sent", exact=True)).to_be_visible(timeout=10000)  # the worker sent it
    page.goto(f"{live_server.url}/texting/console/")
    page.get_by_role("row", name=re.compile("free for a call")).get_by_role(
        "button", name="Delivered"
    ).click()
    page.goto(texts_url)
    expect(
        page.locator("li.text-out", has_text="free for a call").get_by_text("Delivered")
    ).to_be_visible()

    # STOP locks the conversation at once, with one confirmation reply.
    _reply_as_candidate(page, live_server, "STOP")
    page.goto(texts_url)
    expect(page.get_by_text("Opted out", exact=True)).to_be_visible()
    expect(page.get_by_text("no longer receive texts")).to_be_visible()
    page.get_by_label("SMS").check()
    page.get_by_label(re.compile("^Message")).fill("Are you sure?")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("SMS is locked: opted out.")).to_be_visible()

    # A colleague without a seat reads everything but has no way to send.
    other = browser.new_context().new_page()
    sign_in(other, colleague.email, PASSWORD)
    other.goto(texts_url)
    expect(other.get_by_text("free for a call")).to_be_visible()
    expect(other.get_by_text("Texting by SMS or WhatsApp needs a texting seat")).to_be_visible()
    expect(other.get_by_role("button", name="Send", exact=True)).to_have_count(0)

    # ... and emails the candidate from the same page: seats are for texting only.
    other.get_by_label("Subject").fill("Your interview")
    other.get_by_label(re.compile("^Message")).fill("See you on Monday at 10.")
    other.get_by_role("button", name="Send email").click()
    expect(other.locator("li.text-email", has_text="See you on Monday at 10.")).to_be_visible()
    other.set_viewport_size({"width": 390, "height": 844})
    other.screenshot(path="/tmp/texting-no-seat-email-390.png", full_page=True)
