"""Whose message is whose, at a glance and without colour alone: in an agency chat your own
messages sit at the right in the accent colour, labelled "You", the others' at the left with
their name and organisation; in a texting conversation the candidate's texts, the team's texts and
the system's events (consent changes) each look their own, and so does a text that is held or
that failed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import TextContact
from messaging.services import seats, texting, texting_delivery, texting_inbound
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

DESKTOP = {"width": 1280, "height": 900}
PHONE_VIEW = {"width": 390, "height": 844}
PHONE = "+447400123456"
OUR_NUMBER = "+447400123999"


@pytest.fixture
def people():
    recruiter = UserFactory(
        role=Role.RECRUITER, email="rita@employer.example", first_name="Rita", last_name="Moreno"
    )
    assignment = AssignmentFactory(
        job=JobFactory(title="Support Lead", coordinator=recruiter),
        agency=AgencyFactory(name="Apex Talent"),
    )
    agency_user = AgencyUserFactory(
        agency=assignment.agency, email="jack@apex.example", first_name="Jack", last_name="Turner"
    )
    submission = submit(
        agency_user,
        assignment,
        first_name="Grace",
        last_name="Hopper",
        phone=PHONE,
        text_consent=True,
    )
    return recruiter, agency_user, submission


def _signed_in(browser, sign_in, user, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def _rgb(locator, prop="background-color"):
    value = locator.evaluate(f"el => getComputedStyle(el).getPropertyValue('{prop}')")
    return tuple(int(part) for part in re.findall(r"\d+", value)[:3])


def _apart(a, b, by=12):
    """Two colours a reader tells apart: some channel differs by `by` or more (of 255)."""
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) >= by


def _box(locator):
    return locator.bounding_box()


def _at_right(inner, outer):
    return (
        abs(_box(inner)["x"] + _box(inner)["width"] - _box(outer)["x"] - _box(outer)["width"]) < 2
    )


def _at_left(inner, outer):
    return abs(_box(inner)["x"] - _box(outer)["x"]) < 2


def _centred(inner, outer):
    middle = lambda box: box["x"] + box["width"] / 2  # noqa: E731
    return abs(middle(_box(inner)) - middle(_box(outer))) < 2


def test_my_messages_and_theirs_differ_on_both_sides(browser, live_server, sign_in, people):
    recruiter, agency_user, submission = people
    thread = services.candidate_thread_start(
        actor=agency_user, candidate=submission.candidate, body="Any news on Grace?"
    ).thread
    services.message_post(actor=recruiter, thread=thread, body="Interview on Monday?")

    page = _signed_in(browser, sign_in, recruiter)
    page.goto(f"{live_server.url}/threads/{thread.public_id}/")
    mine = page.locator(".message", has_text="Interview on Monday?")
    theirs = page.locator(".message", has_text="Any news on Grace?")
    expect(mine.locator(".message-meta")).to_contain_text("You")
    expect(mine.locator(".message-meta")).not_to_contain_text("Rita Moreno")
    expect(theirs.locator(".message-meta")).to_contain_text("Jack Turner")
    expect(theirs.locator(".message-meta")).to_contain_text("Apex Talent")
    expect(theirs.locator(".message-meta")).not_to_contain_text("You")
    for message in (mine, theirs):
        expect(message.locator("time")).to_have_text(re.compile(r"\w{3} \d+, \d\d:\d\d"))

    card, listing = page.locator("section.conversation"), page.locator("#message-list")
    assert _at_right(mine, listing) and _at_left(theirs, listing)
    assert _apart(_rgb(mine), _rgb(theirs))
    assert _apart(_rgb(theirs), _rgb(card)) and _apart(_rgb(mine), _rgb(card))
    page.screenshot(path="/tmp/chat-bubbles-recruiter-1280.png", full_page=True)
    page.set_viewport_size(PHONE_VIEW)
    assert _at_right(mine, listing) and _at_left(theirs, listing)
    page.screenshot(path="/tmp/chat-bubbles-recruiter-390.png", full_page=True)

    # The agency user reads the same thread the other way round.
    page = _signed_in(browser, sign_in, agency_user, PHONE_VIEW)
    page.goto(f"{live_server.url}/threads/{thread.public_id}/")
    mine = page.locator(".message", has_text="Any news on Grace?")
    theirs = page.locator(".message", has_text="Interview on Monday?")
    expect(mine.locator(".message-meta")).to_contain_text("You")
    expect(theirs.locator(".message-meta")).to_contain_text("Rita Moreno")
    assert _at_right(mine, listing := page.locator("#message-list")) and _at_left(theirs, listing)
    page.screenshot(path="/tmp/chat-bubbles-agency-390.png", full_page=True)


@pytest.fixture
def texts(people, settings):
    """Invitation, YES, a delivered text, a failed one and one held behind the WhatsApp template."""
    settings.QUIET_HOURS = (0, 24)
    recruiter, _agency_user, submission = people
    owner = UserFactory(role=Role.OWNER)
    seats.seat_assign(actor=owner, user=recruiter)
    seats.sender_number_add(actor=owner, number=OUR_NUMBER)
    application = submission.application
    texting.text_invite(actor=recruiter, application=application)
    texting_inbound.text_receive(sid="SMyes", from_number=PHONE, to_number=OUR_NUMBER, body="Yes")
    for body, status in (("Are you free on Monday?", "delivered"), ("Bring your ID.", "failed")):
        sent = texting.text_send(actor=recruiter, application=application, channel="sms", body=body)
        texting_delivery.text_status_update(public_id=sent.public_id, provider_status=status)
    # Time travel: their last WhatsApp message was two days ago, so the window is closed.
    TextContact.objects.filter(phone=PHONE).update(
        whatsapp_last_inbound_at=timezone.now() - timedelta(days=2)
    )
    texting.text_send(
        actor=recruiter, application=application, channel="whatsapp", body="Bring a portfolio too."
    )
    return recruiter, f"/applications/{application.public_id}/texts/"


def test_the_texting_pane_tells_inbound_outbound_and_events_apart(
    browser, live_server, sign_in, texts
):
    recruiter, path = texts
    page = _signed_in(browser, sign_in, recruiter)
    page.goto(live_server.url + path)
    listing = page.locator("#text-list")
    inbound = listing.locator("li.text-in", has_text="Yes")
    delivered = listing.locator("li.text-out", has_text="Are you free on Monday?")
    failed = listing.locator("li.text-out", has_text="Bring your ID.")
    held = listing.locator("li.text-out", has_text="Bring a portfolio too.")
    event = listing.locator("li.text-event .text-event-note", has_text="Opted in")

    expect(inbound.locator(".message-meta")).to_contain_text("Grace Hopper")
    expect(delivered.locator(".message-meta")).to_contain_text("You")
    expect(delivered.get_by_text("Delivered")).to_be_visible()
    expect(failed.get_by_text("Failed")).to_be_visible()
    expect(held.get_by_text("Held until the candidate answers")).to_be_visible()

    assert _at_left(inbound, listing) and _at_right(delivered, listing)
    assert _centred(event, listing) and _box(event)["width"] < 0.9 * _box(listing)["width"]
    assert _apart(_rgb(inbound), _rgb(delivered))
    assert _apart(_rgb(event), _rgb(inbound)) and _apart(_rgb(event), _rgb(delivered))
    # held and failed are marked by their border too, not by the status colour alone
    assert held.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
    assert delivered.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    assert _apart(_rgb(failed, "border-top-color"), _rgb(delivered, "border-top-color"), by=40)
    page.screenshot(path="/tmp/chat-bubbles-texts-1280.png", full_page=True)
    page.set_viewport_size(PHONE_VIEW)
    assert _at_left(inbound, listing) and _at_right(delivered, listing)
    assert _centred(event, listing)
    page.screenshot(path="/tmp/chat-bubbles-texts-390.png", full_page=True)
