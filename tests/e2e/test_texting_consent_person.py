"""A YES belongs to the person who gave it: in Chromium, the next candidate on a number is offered
the invitation, not a conversation opened by someone else's YES; once the number is asked for
them, the first person's page says what holds for her now, and why, without naming him."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import IdentityClaim
from messaging.services import seats, texting, texting_inbound
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


def test_the_next_person_on_a_number_is_asked_again(browser, live_server, sign_in, settings):
    settings.QUIET_HOURS = (0, 24)
    owner = UserFactory(role=Role.OWNER)
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    seats.seat_assign(actor=owner, user=recruiter)
    seats.sender_number_add(actor=owner, number="+447400123999")
    first = AssignmentFactory(job=JobFactory(title="Support Lead", coordinator=recruiter))
    agency_user = AgencyUserFactory(agency=first.agency)
    ada = submit(agency_user, first, first_name="Ada", phone=PHONE, text_consent=True).application
    texting.text_invite(actor=recruiter, application=ada)
    texting_inbound.text_receive(
        sid="SMyes", from_number=PHONE, to_number="+447400123999", body="Yes"
    )
    # Her claim on the number ran out; Bo is submitted with it for another job.
    IdentityClaim.objects.filter(value=PHONE).update(
        claimed_at=timezone.now() - timedelta(days=400)
    )
    second = AssignmentFactory(
        job=JobFactory(title="Data Engineer", coordinator=recruiter), agency=first.agency
    )
    bo = submit(
        agency_user, second, first_name="Bo", last_name="Lindgren", email="bo@example.com",
        phone=PHONE, text_consent=True,
    ).application  # fmt: skip

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{bo.public_id}/texts/")
    expect(page.locator(".status-big")).to_have_text("Consented at submission")
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    expect(page.locator("li.text-out", has_text="Hi Bo,")).to_have_count(1)
    page.screenshot(path="/tmp/shots-rules/consent-bo-invited-1280.png", full_page=True)

    page.goto(f"{live_server.url}/applications/{ada.public_id}/texts/")
    expect(page.locator(".status-big")).to_have_text("Consented at submission")
    event = page.get_by_text("through this number's conversation with someone else")
    expect(event).to_be_visible()
    expect(event).not_to_contain_text("Bo")
    expect(page.get_by_role("button", name="Send invite")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/shots-rules/consent-ada-after-390.png", full_page=True)
