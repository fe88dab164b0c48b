"""The visual pass over both portals: what a 390 px phone showed broken (figures hidden off the
card, From and To on two ragged rows, a badge squeezing a choice, a heading's dangling "· Job",
a Cancel stranded at the left) and the figures table at 1280 px that lost its row names."""

import pytest
from playwright.sync_api import expect

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
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def world():
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    job = JobFactory(title="Platform Lead", coordinator=owner)
    assignment = AssignmentFactory(job=job, agency=AgencyFactory(name="Apex Talent Partners"))
    agency_user = AgencyUserFactory(agency=assignment.agency, email="jack@apex.example")
    grace = submit(agency_user, assignment, first_name="Grace", last_name="Hopper")
    return {"owner": owner, "job": job, "grace": grace}


def _signed_in(browser, sign_in, user, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url("**/jobs/")
    return page


def _box(locator):
    return locator.bounding_box()


def _inside(inner, outer):
    a, b = _box(inner), _box(outer)
    return a["x"] >= b["x"] and a["x"] + a["width"] <= b["x"] + b["width"]


def test_figures_show_on_a_phone_and_row_names_stay_at_1280(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/analytics/")
    card = page.locator("section", has=page.get_by_role("heading", name="Agency scorecards"))
    first_figure = card.locator("tbody tr").first.locator("td.num").nth(1)  # Submissions
    expect(first_figure).to_have_text("1")
    assert _inside(first_figure, card)
    page.screenshot(path="/tmp/layout-analytics-390.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    wrap = card.locator(".table-wrap")
    assert wrap.evaluate("wrap => wrap.scrollWidth > wrap.clientWidth")  # 17 columns
    wrap.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    name = card.get_by_role("rowheader", name="Apex Talent Partners")
    assert abs(_box(name)["x"] - _box(wrap)["x"]) < 1


def test_from_and_to_share_a_row_on_a_phone(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/people/")
    since, until = page.get_by_label("From", exact=True), page.get_by_label("To", exact=True)
    assert abs(_box(since)["y"] - _box(until)["y"]) < 1
    assert _box(until)["x"] + _box(until)["width"] <= PHONE["width"]


def test_a_choice_keeps_its_width_beside_a_badge(browser, live_server, sign_in, world):
    other_job = JobFactory(title="Data Engineer", coordinator=world["owner"])
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/jobs/{other_job.public_id}/send/")
    choice = page.locator(".choice-card", has=page.get_by_text("Recently used"))
    body = choice.locator(".choice-body")
    assert _box(body)["width"] > 0.75 * _box(choice)["width"]
    assert _inside(choice.get_by_text("Recently used"), choice)
    page.screenshot(path="/tmp/layout-send-390.png", full_page=True)


def test_a_cancel_under_a_long_button_is_centred(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/agencies/new/")
    submit_button = page.get_by_role("button", name="Create agency and send invitation")
    cancel = page.get_by_role("link", name="Cancel")
    button, link = _box(submit_button), _box(cancel)
    assert link["y"] > button["y"] + button["height"]  # on its own row
    centre = lambda box: box["x"] + box["width"] / 2  # noqa: E731
    assert abs(centre(link) - centre(button)) < 2


def test_the_job_of_a_texting_page_takes_its_own_line_on_a_phone(
    browser, live_server, sign_in, world
):
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/applications/{world['grace'].application.public_id}/texts/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Grace Hopper Platform Lead")
    job = heading.locator(".h1-aside")
    assert _box(job)["x"] == _box(heading)["x"]  # starts a line, no "·" before it
    assert _box(job)["y"] > _box(heading)["y"] + 20  # under the name, though it would fit beside
    page.set_viewport_size(DESKTOP)
    assert job.evaluate("el => getComputedStyle(el, '::before').content").startswith('"· "')


def test_the_settings_tabs_make_a_tidy_grid_on_a_phone(browser, live_server, sign_in, world):
    page = _signed_in(browser, sign_in, world["owner"], PHONE)
    page.goto(f"{live_server.url}/texting/seats/")
    tabs = page.get_by_role("navigation", name="Settings").get_by_role("link")
    boxes = [_box(tabs.nth(i)) for i in range(tabs.count())]
    assert len(boxes) >= 3 and len({round(box["width"]) for box in boxes}) == 1  # equal cells
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes)
    expect(page.get_by_role("link", name="Texting seats")).to_have_attribute("aria-current", "page")
