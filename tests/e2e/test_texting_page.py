"""An application's Messages page in Chromium: the pane opens on the newest message and polling
keeps the reader's place (following new messages only for a reader at the bottom); the SMS
counter counts as the server does and survives the page coming back with an error; an
invitation at night asks first; WhatsApp outside its window says so before sending and keeps
the text."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import Consent, TextContact
from messaging.services import seats, texting_inbound
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
POLL_SETTLED = (
    "new Promise(done => document.addEventListener('htmx:afterSettle', done, {once: true}))"
)


@pytest.fixture
def conversation(live_server, settings):
    """A recruiter with a seat, and a candidate who has written 40 texts."""
    settings.QUIET_HOURS = (0, 24)
    owner = UserFactory(role=Role.OWNER)
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    seats.seat_assign(actor=owner, user=recruiter)
    seats.sender_number_add(actor=owner, number="+447400123999")
    assignment = AssignmentFactory(job=JobFactory(title="Support Lead", coordinator=recruiter))
    application = submit(
        AgencyUserFactory(agency=assignment.agency),
        assignment,
        first_name="Grace",
        last_name="Hopper",
        phone=PHONE,
        text_consent=True,
    ).application
    for number in range(1, 41):
        texting_inbound.text_receive(
            sid=f"SMpane{number}",
            from_number=PHONE,
            to_number="+447400123999",
            body=f"Message {number} from Grace",
        )
    return recruiter, f"{live_server.url}/applications/{application.public_id}/texts/"


@pytest.fixture
def night_in_london(settings):
    """Texting hours that leave out the present hour in London (the candidate's number) and the
    next, so that the test still finds night if the hour turns while it runs."""
    hour = timezone.now().astimezone(ZoneInfo("Europe/London")).hour
    settings.QUIET_HOURS = {22: (0, 22), 23: (1, 23)}.get(hour, (hour + 2, 24))


def _scroll(page):
    return page.evaluate(
        "() => { const l = document.getElementById('text-list');"
        " return {top: l.scrollTop, bottom: l.scrollHeight - l.scrollTop - l.clientHeight}; }"
    )


def _wait_for_a_poll(page):
    page.evaluate(POLL_SETTLED)


def test_the_pane_opens_on_the_newest_and_keeps_the_readers_place(
    browser, live_server, sign_in, conversation
):
    recruiter, url = conversation
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(url)
    newest = page.locator("#text-list li", has_text="Message 40 from Grace")
    expect(newest).to_be_in_viewport()
    assert _scroll(page)["bottom"] < 8
    page.screenshot(path="/tmp/texting-pane-1280.png", full_page=True)

    # Scrolled up to read, the reader stays where they are through polls.
    page.evaluate("document.getElementById('text-list').scrollTop = 0")
    _wait_for_a_poll(page)
    _wait_for_a_poll(page)
    assert _scroll(page)["top"] == 0
    expect(page.locator("#text-list li", has_text="Message 1 from Grace")).to_be_in_viewport()

    # Someone reading somewhere in the middle stays there even when a new message comes in.
    page.evaluate("document.getElementById('text-list').scrollTop = 300")
    texting_inbound.text_receive(
        sid="SMpane41", from_number=PHONE, to_number="+447400123999", body="Message 41 from Grace"
    )
    expect(page.locator("#text-list li", has_text="Message 41 from Grace")).to_have_count(1)
    assert _scroll(page)["top"] == 300

    # At the bottom, the reader follows what comes in.
    page.evaluate("const l = document.getElementById('text-list'); l.scrollTop = l.scrollHeight")
    texting_inbound.text_receive(
        sid="SMpane42", from_number=PHONE, to_number="+447400123999", body="Message 42 from Grace"
    )
    newest = page.locator("#text-list li", has_text="Message 42 from Grace")
    expect(newest).to_have_count(1)
    expect(newest).to_be_in_viewport()
    assert _scroll(page)["bottom"] < 8


def test_the_counter_counts_characters_as_the_server_and_survives_an_error(
    browser, live_server, sign_in, conversation
):
    recruiter, url = conversation
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(url)
    counter = page.locator("[data-counter-for]")
    message = page.get_by_label(re.compile("^Message"))
    message.fill("See you 👋")
    expect(counter).to_have_text("9 / 1600 characters · 1 SMS segment (Unicode)")
    message.fill("Price: 10€ ^^")  # GSM-7's extension characters take two of a segment's 160
    expect(counter).to_have_text("13 / 1600 characters · 1 SMS segment")
    message.fill("😀" * 36)  # 72 UTF-16 code units: two Unicode segments
    expect(counter).to_have_text("36 / 1600 characters · 2 SMS segments (Unicode)")
    message.fill("See you 👋")
    page.get_by_label("SMS", exact=True).check()
    page.get_by_role("button", name="Send", exact=True).click()  # SMS is locked: not opted in
    expect(page.get_by_text("SMS is locked")).to_be_visible()
    expect(message).to_have_value("See you 👋")
    expect(counter).to_have_text("9 / 1600 characters · 1 SMS segment (Unicode)")
    page.screenshot(path="/tmp/texting-pane-390.png", full_page=True)


def test_an_invitation_at_night_asks_first_and_can_wait_for_the_morning(
    browser, live_server, sign_in, conversation, night_in_london
):
    recruiter, url = conversation
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Send invite").click()
    prompt = page.get_by_role("alert").filter(has_text="Invitations outside")
    expect(prompt).to_contain_text(re.compile(r"It is \d\d:\d\d (GMT|BST) for Grace"))
    page.screenshot(path="/tmp/texting-invite-night-1280.png", full_page=True)
    prompt.get_by_role("button", name=re.compile("^Schedule for")).click()
    expect(page.get_by_text("Invitation scheduled.")).to_be_visible()
    invitation = page.locator("li.text-out", has_text="Reply YES to agree")
    expect(invitation).to_contain_text(
        re.compile(r"Scheduled for \w{3} \d\d:00 (GMT|BST) their time")
    )
    expect(page.get_by_text(re.compile(r"The invitation goes out \w{3} \d\d:00"))).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/texting-invite-night-390.png", full_page=True)


def test_whatsapp_outside_the_window_says_so_before_sending_and_holds_the_text(
    browser, live_server, sign_in, conversation
):
    recruiter, url = conversation
    TextContact.objects.filter(phone=PHONE).update(
        sms_consent=Consent.OPTED_IN, whatsapp_last_inbound_at=None
    )
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(url)
    notice = page.get_by_text("only the approved invitation can go out now")
    expect(notice).to_be_hidden()  # SMS is chosen
    page.get_by_label("WhatsApp", exact=True).check()
    expect(notice).to_be_visible()
    expect(page.get_by_label("Send only the invitation")).not_to_be_checked()
    page.get_by_label(re.compile("^Message")).fill("Could you do Monday at 10?")
    page.screenshot(path="/tmp/texting-whatsapp-closed-390.png", full_page=True)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("your message is held and goes out once they answer")).to_be_visible()
    held = page.locator("li.text-out", has_text="Could you do Monday at 10?")
    expect(held).to_contain_text("Held until the candidate answers the WhatsApp invitation")
    expect(page.locator("li.text-out", has_text="would like to reach you")).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/texting-whatsapp-held-1280.png", full_page=True)


def test_a_held_whatsapp_text_is_cancelled_from_the_pane(
    browser, live_server, sign_in, conversation
):
    recruiter, url = conversation
    TextContact.objects.filter(phone=PHONE).update(sms_consent=Consent.OPTED_IN)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{url}?channel=whatsapp")
    page.get_by_label(re.compile("^Message")).fill("Sorry, wrong candidate")
    page.get_by_role("button", name="Send", exact=True).click()
    held = page.locator("li.text-out", has_text="Sorry, wrong candidate")
    expect(held).to_contain_text("Held until the candidate answers")
    page.screenshot(path="/tmp/texting-held-cancel-before-390.png", full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    held.get_by_role("button", name="Cancel text").click()
    expect(page.get_by_role("status").get_by_text("the held text will not be sent")).to_be_visible()
    expect(held).to_contain_text("Cancelled before it went out")
    expect(held).to_contain_text(f"by {recruiter}")
    expect(held.get_by_role("button", name="Cancel text")).to_have_count(0)
    _wait_for_a_poll(page)  # the list polled afresh still shows it, cancelled
    expect(held).to_contain_text("Cancelled before it went out")
    expect(page.locator("li.text-out", has_text="would like to reach you")).to_have_count(1)
    page.screenshot(path="/tmp/texting-held-cancelled-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/texting-held-cancelled-1280.png", full_page=True)
