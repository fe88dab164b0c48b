"""Long unbroken values (an email, a URL, a file name) wrap inside their card on a 390 px phone:
no page of the detail lists scrolls sideways, and nothing is cut off inside a scrolling chat."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from messaging.services import threads as messaging_services
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

PHONE = {"width": 390, "height": 844}
EMAIL = "averyveryverylongname.withdots@some-long-domain-example.com"
UNBROKEN_EMAIL = "averyveryverylongnamewithoutanybreaks@somelongdomainexamplewithoutbreaks.com"
URL = "https://example.com/averyveryverylongpathsegmentwithoutanybreakopportunity/andanotherone"
RESUME = "Bartholomew_Longvalue_Curriculum_Vitae_Final_Version_2026_updated.txt"
ATTACHMENT = "Bartholomew_Longvalue_Reference_Letter_From_Previous_Employer_Signed.txt"


@pytest.fixture
def world():
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    assignment = AssignmentFactory(
        job=JobFactory(title="Platform Lead", coordinator=owner),
        agency=AgencyFactory(name="Apex Talent Partners"),
    )
    admin = AgencyUserFactory(
        agency=assignment.agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    colleague = AgencyUserFactory(agency=assignment.agency, email=EMAIL)
    submission = submit(
        admin,
        assignment,
        first_name="Bartholomew",
        last_name="Longvalue",
        email=UNBROKEN_EMAIL,
        note=f"Portfolio: {URL}",
        resume=SimpleUploadedFile(RESUME, b"Bartholomew Longvalue\n" + UNBROKEN_EMAIL.encode()),
    )
    messaging_services.candidate_thread_start(
        actor=admin,
        candidate=submission.candidate,
        body=f"Portfolio: {URL}",
        files=[SimpleUploadedFile(ATTACHMENT, b"reference")],
    )
    conflict = submit(
        admin,
        assignment,
        first_name="Zed",
        last_name="Other",
        email=UNBROKEN_EMAIL,
        confirmed_identity=f"email:{UNBROKEN_EMAIL}",
    ).identity_conflict
    return {
        "owner": owner,
        "admin": admin,
        "colleague": colleague,
        "submission": submission,
        "conflict": conflict,
    }


def _signed_in(browser, sign_in, user):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def _no_sideways_scroll(page, url, shot):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=f"/tmp/long-values-{shot}-390.png", full_page=True)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"


def _within(inner, outer):
    box, frame = inner.bounding_box(), outer.bounding_box()
    return box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5


def test_recruiter_detail_pages_wrap_long_values(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["owner"])
    candidate = world["submission"].candidate
    _no_sideways_scroll(page, f"{live_server.url}/candidates/{candidate.public_id}/", "candidate")
    files = page.locator("#candidate-files")
    expect(files.get_by_role("link", name=ATTACHMENT)).to_be_visible()
    assert _within(files.get_by_role("link", name=ATTACHMENT), files)
    _no_sideways_scroll(
        page,
        f"{live_server.url}/people/identity/{world['conflict'].public_id}/",
        "identity-conflict",
    )
    _no_sideways_scroll(
        page, f"{live_server.url}/users/{world['colleague'].public_id}/", "user-owner"
    )
    _no_sideways_scroll(
        page, f"{live_server.url}/agencies/{world['admin'].membership.agency.public_id}/", "agency"
    )


def test_agency_detail_pages_wrap_long_values(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["admin"])
    _no_sideways_scroll(
        page,
        f"{live_server.url}/agency/submissions/{world['submission'].public_id}/",
        "submission",
    )
    _no_sideways_scroll(
        page, f"{live_server.url}/agency/users/{world['colleague'].public_id}/", "user-agency"
    )
    _no_sideways_scroll(page, f"{live_server.url}/agency/team/", "team")


def test_an_attachments_long_name_wraps_inside_the_chat(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["admin"])
    thread = world["submission"].candidate.threads.get()
    _no_sideways_scroll(page, f"{live_server.url}/threads/{thread.public_id}/", "thread")
    message = page.locator(".message", has_text="Portfolio")
    assert _within(page.get_by_role("link", name=ATTACHMENT), message)
    assert _within(page.get_by_role("link", name=URL), message)
    # the list scrolls up and down only: nothing hides beyond its right edge
    assert page.locator("#message-list").evaluate("list => list.scrollWidth <= list.clientWidth")
