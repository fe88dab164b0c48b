"""Every main page of both portals, the sign-in pages and the Django admin run under the
Content-Security-Policy without a single violation or JavaScript error, htmx included."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from messaging.services import threads as messaging_services
from recruitment.middleware import POLICY
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


class ConsoleWatch:
    """Collects what the browser complains about: CSP violations, JS errors, failed loads."""

    def __init__(self, page):
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message):
        # The Django admin's pages link no icon, so Chromium asks for /favicon.ico and gets a 404.
        if message.location["url"].endswith("/favicon.ico"):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{message.type}: {message.text} ({message.location['url']})")


def _visit_all(page, base_url, paths):
    """Open each page, let htmx finish its load-time requests, and return the pages that broke."""
    watch = ConsoleWatch(page)
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, f"{path}: {response.status}"
        assert response.headers["content-security-policy"] == POLICY, path
        page.wait_for_load_state("networkidle")
    return watch


@pytest.fixture
def world():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    owner = UserFactory(role=Role.OWNER, email="olga@employer.example")
    job = JobFactory(title="QA Engineer", coordinator=recruiter)
    agency = AgencyFactory(name="Apex Talent")
    assignment = AssignmentFactory(job=job, agency=agency)
    agency_admin = AgencyUserFactory(
        agency=agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    resume = SimpleUploadedFile("cv.txt", b"Grace Hopper\ngrace@example.com\n+44 7400 123456")
    submission = submit(
        agency_admin, assignment, first_name="Grace", last_name="Hopper", resume=resume
    )
    thread = messaging_services.candidate_thread_start(
        actor=agency_admin, candidate=submission.candidate, body="Any news on Grace?"
    ).thread
    return {
        "recruiter": recruiter,
        "owner": owner,
        "agency_admin": agency_admin,
        "job": job,
        "assignment": assignment,
        "submission": submission,
        "candidate": submission.candidate,
        "application": submission.application,
        "thread": thread,
    }


def test_recruiter_pages_comply(browser, live_server, sign_in, world):
    page = browser.new_context().new_page()
    sign_in(page, world["recruiter"].email, PASSWORD)
    watch = _visit_all(
        page,
        live_server.url,
        [
            "/jobs/",
            f"/jobs/{world['job'].public_id}/",
            f"/jobs/{world['job'].public_id}/agencies/",
            f"/jobs/{world['job'].public_id}/people/",
            "/people/",
            f"/candidates/{world['candidate'].public_id}/",
            f"/applications/{world['application'].public_id}/texts/",
            "/conversations/",
            "/inbox/",
            f"/threads/{world['thread'].public_id}/",
            "/analytics/",
            "/analytics/jobs/",
            "/notifications/",
            "/accounts/password/change/",
        ],
    )
    # htmx at work: a filtered list swapped in, and a chat message sent and shown.
    page.goto(f"{live_server.url}/jobs/")
    page.get_by_role("searchbox").fill("QA")
    expect(page.get_by_role("link", name="QA Engineer")).to_be_visible()
    page.goto(f"{live_server.url}/threads/{world['thread'].public_id}/")
    page.get_by_label("Message").fill("Interview on Monday?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("Message")).to_have_value("")
    expect(page.get_by_text("Interview on Monday?")).to_be_visible()
    assert watch.problems == []


def test_owner_settings_and_admin_comply(browser, live_server, sign_in, world):
    page = browser.new_context().new_page()
    sign_in(page, world["owner"].email, PASSWORD)
    watch = _visit_all(
        page,
        live_server.url,
        [
            "/settings/duplicates/",
            "/texting/seats/",
            "/texting/numbers/",
            "/agencies/",
            f"/agencies/{world['assignment'].agency.public_id}/",
            "/agencies/new/",
            "/jobs/new/",
            f"/jobs/{world['job'].public_id}/send/",
            f"/assignments/{world['assignment'].public_id}/edit/",
            "/users/",
            f"/users/{world['agency_admin'].public_id}/",
            "/audit/",
            "/admin/",
            "/admin/recruitment/job/",
            f"/admin/recruitment/job/{world['job'].pk}/change/",
            "/admin/candidates/candidate/",
            f"/admin/candidates/candidate/{world['candidate'].pk}/change/",
            "/admin/messaging/message/",
        ],
    )
    assert watch.problems == []


def test_agency_pages_comply(browser, live_server, sign_in, world):
    page = browser.new_context().new_page()
    sign_in(page, world["agency_admin"].email, PASSWORD)
    watch = _visit_all(
        page,
        live_server.url,
        [
            "/agency/",
            f"/agency/jobs/{world['assignment'].public_id}/",
            "/agency/submit/",
            f"/agency/submissions/{world['submission'].public_id}/",
            "/agency/candidates/",
            "/agency/pool/",
            "/agency/inbox/",
            f"/threads/{world['thread'].public_id}/",
            "/inbox/new/",
            "/agency/analytics/",
            "/agency/team/",
            "/agency/users/",
        ],
    )
    # A refused submission shows its field errors.
    page.goto(f"{live_server.url}/agency/submit/")
    page.get_by_label(re.compile("^Email")).fill("not an email")
    page.get_by_role("button", name=re.compile("Submit")).click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert watch.problems == []


def test_sign_in_pages_comply(browser, live_server):
    watch = _visit_all(
        browser.new_page(),
        live_server.url,
        ["/accounts/login/", "/accounts/login/code/", "/accounts/password/reset/"],
    )
    assert watch.problems == []


def test_the_watch_sees_a_violation(browser, live_server):
    """The control: an inline style is refused and reported, so the empty lists above mean something."""
    page = browser.new_page()
    watch = _visit_all(page, live_server.url, ["/accounts/login/"])
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in problem for problem in watch.problems)
