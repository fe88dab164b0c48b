"""Issue 15, point 9: choosing a resume on the submission form fills the name, email and phone
still empty, never what the user typed (before or while it is read), and the form still submits."""

import json
import re

import pytest
from playwright.sync_api import expect

from candidates.models import Submission
from tests.e2e.test_content_security_policy import ConsoleWatch
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, AssignmentFactory
from tests.hostile_files import NORMAL_RESUME

pytestmark = pytest.mark.django_db(transaction=True)
PREFILL_URL = "**/agency/submit/prefill/"
JANE_ROE = {"name": "jane_roe.pdf", "mimeType": "application/pdf", "buffer": NORMAL_RESUME}


@pytest.fixture
def page(browser, live_server, sign_in):
    assignment = AssignmentFactory(agency=AgencyFactory(name="Apex Talent"))
    user = AgencyUserFactory(agency=assignment.agency, email="jack@apex.example")
    page = browser.new_context().new_page()
    sign_in(page, user.email, PASSWORD)
    page.goto(f"{live_server.url}/agency/submit/")
    return page


def _field(page, label):
    return page.get_by_label(re.compile(f"^{label}"))


def _status(page):
    return page.locator("[data-prefill-status-for]")


def _hold_the_first_prefill(page) -> list:
    """Keep the first prefill request unanswered (it is in the list), let later ones through."""
    held = []

    def handle(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(PREFILL_URL, handle)
    return held


def _wait_for(page, held):
    for _ in range(100):
        if held:
            return held[0]
        page.wait_for_timeout(50)
    raise AssertionError("the resume was never sent to be read")


def test_choosing_a_resume_fills_the_empty_fields_and_keeps_what_was_typed(page):
    watch = ConsoleWatch(page)
    _field(page, "Last name").fill("Roe-Smith")
    _field(page, "Resume").set_input_files(JANE_ROE)

    expect(_field(page, "First name")).to_have_value("Jane", timeout=5000)
    expect(_field(page, "Email")).to_have_value("jane.roe@example.com")
    expect(_field(page, "Phone")).to_have_value("+1 201-555-0123")
    expect(_field(page, "Last name")).to_have_value("Roe-Smith")
    expect(_status(page)).to_have_text(
        "Filled first name, email and phone from the resume — please check them."
    )
    expect(_field(page, "First name")).to_have_class(re.compile("is-prefilled"))
    expect(_field(page, "Last name")).not_to_have_class(re.compile("is-prefilled"))
    _field(page, "First name").fill("Janet")
    expect(_field(page, "First name")).not_to_have_class(re.compile("is-prefilled"))

    _field(page, "Job").select_option(index=1)
    page.get_by_role("button", name="Submit candidate").click()
    expect(page.get_by_role("heading", name="Outcome: New")).to_be_visible()
    submission = Submission.objects.get()
    assert (submission.first_name, submission.last_name) == ("Janet", "Roe-Smith")
    assert (submission.email, submission.phone) == ("jane.roe@example.com", "+12015550123")
    assert submission.candidate.resumes.get().original_name == "jane_roe.pdf"
    assert not watch.problems  # no CSP violation nor script error


def test_what_is_typed_while_the_resume_is_read_is_kept(page):
    held = _hold_the_first_prefill(page)
    _field(page, "Resume").set_input_files(JANE_ROE)
    request = _wait_for(page, held)
    expect(_status(page)).to_have_text("Reading the resume…")
    _field(page, "Email").fill("jane@roe.example")
    request.continue_()

    expect(_field(page, "First name")).to_have_value("Jane", timeout=5000)
    expect(_status(page)).to_have_text(
        "Filled first name, last name and phone from the resume — please check them."
    )
    expect(_field(page, "Email")).to_have_value("jane@roe.example")


def test_the_answer_for_a_file_no_longer_chosen_is_dropped(page):
    held = _hold_the_first_prefill(page)
    _field(page, "Resume").set_input_files(JANE_ROE)
    request = _wait_for(page, held)
    _field(page, "Resume").set_input_files([])
    expect(_status(page)).to_have_text("")
    stale = {"fields": {"first_name": "Stale", "email": "stale@example.com"}}
    request.fulfill(status=200, content_type="application/json", body=json.dumps(stale))

    _field(page, "Resume").set_input_files(JANE_ROE)  # read this time: held is not empty
    expect(_field(page, "Email")).to_have_value("jane.roe@example.com", timeout=5000)
    expect(_field(page, "First name")).to_have_value("Jane")


def test_a_resume_that_cannot_be_read_says_why_and_fills_nothing(page):
    _field(page, "Resume").set_input_files({**JANE_ROE, "buffer": NORMAL_RESUME[:300]})
    expect(_status(page)).to_have_text("The file is damaged or truncated.", timeout=5000)
    expect(_field(page, "First name")).to_have_value("")
