"""A page whose session ends while it polls (signed out in another tab, or the user disabled)
goes to the login page as a whole, never with the login page swapped into its chat; signing in
again leads back to it."""

import re

import pytest
from playwright.sync_api import expect

from messaging.services import threads as services
from recruitment.models import Role, User
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

POLL = 20_000  # the chat asks every 3 s, the navigation's counts every 15 s


@pytest.fixture
def thread():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    assignment = AssignmentFactory(
        job=JobFactory(title="QA Engineer", coordinator=recruiter),
        agency=AgencyFactory(name="Apex Talent"),
    )
    agency_user = AgencyUserFactory(agency=assignment.agency, email="jack@apex.example")
    candidate = submit(agency_user, assignment, first_name="Grace", last_name="Hopper").candidate
    return services.candidate_thread_start(
        actor=agency_user, candidate=candidate, body="Any news on Grace?"
    ).thread


def test_signing_out_in_another_tab_takes_the_polling_page_to_the_login_page(
    browser, live_server, sign_in, thread
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, "rita@employer.example", PASSWORD)
    thread_url = f"{live_server.url}/threads/{thread.public_id}/"
    page.goto(thread_url)
    expect(page.get_by_text("Any news on Grace?")).to_be_visible()

    other = context.new_page()
    other.goto(f"{live_server.url}/jobs/")
    other.locator(".user-menu > summary").click()
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("button", name="Sign in")).to_be_visible()

    # The first tab's next poll takes the whole page to the login page, and back after it.
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/threads/"), timeout=POLL)
    expect(page.locator("#message-list")).to_have_count(0)
    page.screenshot(path="/tmp/shots-rules/signed-out-login-1280.png")
    page.get_by_label("Email").fill("rita@employer.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(thread_url)
    expect(page.get_by_text("Any news on Grace?")).to_have_count(1)
    context.close()


def test_a_user_disabled_while_the_page_polls_sees_why_on_the_login_page(
    browser, live_server, sign_in, thread
):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, "rita@employer.example", PASSWORD)
    page.goto(f"{live_server.url}/threads/{thread.public_id}/")
    expect(page.get_by_text("Any news on Grace?")).to_be_visible()
    User.objects.filter(email="rita@employer.example").update(is_active=False)
    page.wait_for_url(re.compile(r"/accounts/login/$"), timeout=POLL)
    expect(page.get_by_text("Your account has been disabled")).to_be_visible()
    page.screenshot(path="/tmp/shots-rules/disabled-login-390.png")
