"""Issue 13: nothing on the candidate page is clipped at 1280 or 1024 px, and on a 390 px phone the
main lists of both portals show each row as a card with its key fields, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from candidates import services
from candidates.models import Stage
from messaging.services import seats
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


@pytest.fixture
def world():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    assignment = AssignmentFactory(
        job=JobFactory(title="Principal Site Reliability Engineer", coordinator=recruiter),
        agency=AgencyFactory(name="Apex Talent Partners International"),
    )
    agency_user = AgencyUserFactory(
        agency=assignment.agency, role=Role.AGENCY_ADMIN, email="amelia@apex.example"
    )
    grace = submit(
        agency_user,
        assignment,
        first_name="Grace",
        last_name="Hopper-Montgomery",
        email="grace.hopper-montgomery@example.com",
        phone="+447400123456",
    )
    submit(agency_user, assignment, first_name="Ada", last_name="Lovelace", email="ada@example.com")
    services.application_set_stage(
        actor=recruiter, application=grace.application, stage=Stage.INTERVIEW
    )
    messaging_services.candidate_thread_start(
        actor=agency_user, candidate=grace.candidate, body="Any news on Grace?"
    )
    return {"recruiter": recruiter, "agency_user": agency_user, "grace": grace}


def _signed_in(browser, sign_in, user, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def _inside(inner, outer):
    box, frame = inner.bounding_box(), outer.bounding_box()
    return box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("width", [1280, 1024])
def test_candidate_page_applications_are_not_clipped(browser, live_server, sign_in, world, width):
    page = _signed_in(browser, sign_in, world["recruiter"], {"width": width, "height": 900})
    page.goto(f"{live_server.url}/candidates/{world['grace'].candidate.public_id}/")
    card = page.locator("section", has=page.get_by_role("heading", name="Applications"))
    update = card.get_by_role("button", name="Update")
    expect(update).to_be_visible()
    assert _inside(update, card)
    assert card.locator(".table-wrap").evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")

    card.get_by_label("Stage").select_option(label="Rejected")  # the reason box joins the row
    expect(card.get_by_label("Rejection reason")).to_be_visible()
    assert _inside(card.get_by_label("Rejection reason"), card)
    assert _inside(update, card)
    assert card.locator(".table-wrap").evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
    page.screenshot(path=f"/tmp/e2e-candidate-{width}.png", full_page=True)


def _check_cards(page, url, name, field_texts, shot):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert _no_sideways_scroll(page), url
    title = page.get_by_role("link", name=name).first
    expect(title).to_be_visible()
    assert _inside(title, page.locator("main"))
    row = page.get_by_role("row").filter(has=title)
    for text in field_texts:
        field = row.get_by_text(text).first
        expect(field).to_be_visible()
        assert field.bounding_box()["x"] + field.bounding_box()["width"] <= PHONE["width"]
    page.screenshot(path=f"/tmp/e2e-phone-{shot}.png", full_page=True)


def test_recruiter_lists_on_a_phone(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["recruiter"], PHONE)
    _check_cards(
        page,
        f"{live_server.url}/people/",
        "Grace Hopper-Montgomery",
        ["Interview", "Principal Site Reliability Engineer"],
        "people",
    )
    expect(page.get_by_role("checkbox", name="Select Grace Hopper-Montgomery")).to_be_visible()
    _check_cards(
        page,
        f"{live_server.url}/jobs/",
        "Principal Site Reliability Engineer",
        ["Open", "Berlin"],
        "jobs",
    )
    expect(page.get_by_role("link", name="Send to agency")).to_be_visible()

    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_text("Grace Hopper-Montgomery").first).to_be_visible()
    assert _no_sideways_scroll(page)
    page.screenshot(path="/tmp/e2e-phone-inbox.png", full_page=True)


def test_agency_lists_on_a_phone(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["agency_user"], PHONE)
    for path, shot in (("/agency/candidates/", "my-candidates"), ("/agency/pool/", "pool")):
        _check_cards(
            page,
            live_server.url + path,
            "Grace Hopper-Montgomery",
            ["Active", "Principal Site Reliability Engineer"],
            shot,
        )
    page.goto(f"{live_server.url}/agency/inbox/")
    expect(page.get_by_text("Grace Hopper-Montgomery").first).to_be_visible()
    assert _no_sideways_scroll(page)
    page.screenshot(path="/tmp/e2e-phone-agency-inbox.png", full_page=True)


def _tables_fit(page, url, shot):
    """The page does not scroll sideways, nor does any list table in it (figures may)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=f"/tmp/e2e-phone-{shot}.png", full_page=True)
    assert _no_sideways_scroll(page), url
    wider = page.locator(".table-wrap:not(:has(.table-figures))").evaluate_all(
        "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth).length"
    )
    assert wider == 0, url


def test_the_jobs_agencies_show_as_cards_on_a_phone(browser, live_server, sign_in, world):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    job = world["grace"].job
    page = _signed_in(browser, sign_in, owner, PHONE)
    _tables_fit(page, f"{live_server.url}/jobs/{job.public_id}/", "job-agencies")
    card = page.locator("#job-agencies")
    row = card.get_by_role("row").filter(has_text="Apex Talent Partners International")
    name = row.get_by_role("link", name="Apex Talent Partners International", exact=True)
    withdraw = row.get_by_role("button", name="Withdraw")
    for part in (name, row.get_by_text("Active"), row.get_by_text("Edit terms"), withdraw):
        expect(part).to_be_visible()
        assert _inside(part, card)
    # a card: the agency heads it, its state and the withdrawal follow underneath
    assert withdraw.bounding_box()["y"] > name.bounding_box()["y"] + name.bounding_box()["height"]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert abs(withdraw.bounding_box()["y"] - name.bounding_box()["y"]) < 20  # one table row
    page.screenshot(path="/tmp/e2e-job-agencies-1280.png", full_page=True)


def test_the_other_tables_of_both_portals_fit_a_phone(browser, live_server, sign_in, world):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    seats.sender_number_add(actor=owner, number="+447400123999")
    seats.seat_assign(actor=owner, user=world["recruiter"])
    agency = world["agency_user"].membership.agency
    page = _signed_in(browser, sign_in, owner, PHONE)
    for path, shot in (
        ("/agencies/", "agencies"),
        (f"/agencies/{agency.public_id}/", "agency"),
        ("/users/", "users"),
        ("/audit/", "audit"),
        ("/texting/seats/", "seats"),
        ("/texting/numbers/", "numbers"),
        ("/texting/console/", "console"),
        (f"/candidates/{world['grace'].candidate.public_id}/", "candidate"),
    ):
        _tables_fit(page, live_server.url + path, shot)
    page = _signed_in(browser, sign_in, world["agency_user"], PHONE)
    for path, shot in (("/agency/users/", "agency-users"), ("/agency/team/", "team")):
        _tables_fit(page, live_server.url + path, shot)
