"""A chat attachment over the size limit, sent through htmx, shows its error in the compose box
and keeps what was typed; a smaller one then goes through."""

import pytest
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


def test_oversized_attachment_is_explained_in_the_compose_box(
    browser, live_server, sign_in, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    assignment = AssignmentFactory(
        job=JobFactory(coordinator=recruiter), agency=AgencyFactory(name="Apex Talent")
    )
    agency_user = AgencyUserFactory(agency=assignment.agency, email="jack@apex.example")
    thread = services.candidate_thread_start(
        actor=agency_user, candidate=submit(agency_user, assignment).candidate, body="Hello"
    ).thread

    page = browser.new_context().new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/threads/{thread.public_id}/")
    page.get_by_label("Message").fill("The contract, signed")
    files = page.get_by_label("Attach files")
    files.set_input_files(
        [{"name": "contract.txt", "mimeType": "text/plain", "buffer": b"a" * 2048}]
    )
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("“contract.txt” is larger than 0 MB.")).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value("The contract, signed")

    files.set_input_files([{"name": "contract.txt", "mimeType": "text/plain", "buffer": b"signed"}])
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list").get_by_text("The contract, signed")).to_be_visible()
    expect(page.get_by_text("is larger than")).to_have_count(0)
