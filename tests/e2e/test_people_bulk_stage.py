"""Issue 13: on People, choosing a stage in the bulk bar must not reload the results (which cleared
the ticks and reset the stage to Lead); Apply moves exactly the ticked people to the chosen stage."""

import pytest
from playwright.sync_api import expect

from candidates import services
from candidates.models import Application, Stage
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


@pytest.fixture
def world():
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    assignment = AssignmentFactory(
        job=JobFactory(title="QA Engineer", coordinator=recruiter),
        agency=AgencyFactory(name="Apex Talent"),
    )
    agency_user = AgencyUserFactory(agency=assignment.agency, email="amelia@apex.example")
    people = {
        name: submit(
            agency_user,
            assignment,
            first_name=name,
            last_name="Tester",
            email=f"{name.lower()}@example.com",
        ).application
        for name in ("Ada", "Grace", "Linus")
    }
    return recruiter, people


def _stage_of(application):
    return Application.objects.get(pk=application.pk).stage


def _row(page, name):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=f"{name} Tester"))


def test_bulk_stage_keeps_ticks_and_moves_only_the_ticked(browser, live_server, sign_in, world):
    recruiter, people = world
    page = browser.new_context().new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/people/")

    bulk_stage = page.get_by_label("Move selected to")
    expect(bulk_stage).to_have_value("")  # no stage is pre-chosen as if it were a choice
    _row(page, "Ada").get_by_role("checkbox").check()
    _row(page, "Grace").get_by_role("checkbox").check()
    bulk_stage.select_option(label="Interview")
    page.wait_for_load_state("networkidle")  # the bug: the results reloaded here
    expect(_row(page, "Ada").get_by_role("checkbox")).to_be_checked()
    expect(_row(page, "Grace").get_by_role("checkbox")).to_be_checked()
    expect(_row(page, "Linus").get_by_role("checkbox")).not_to_be_checked()
    expect(bulk_stage).to_have_value(Stage.INTERVIEW)

    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Moved 2 applications to Interview.")).to_be_visible()
    assert _stage_of(people["Ada"]) == Stage.INTERVIEW
    assert _stage_of(people["Grace"]) == Stage.INTERVIEW
    assert _stage_of(people["Linus"]) == Stage.LEAD
    expect(_row(page, "Ada")).to_contain_text("Interview")
    expect(_row(page, "Linus")).to_contain_text("Lead")

    # The filter form's own selects still reload the results.
    page.locator("form[role=search] select[name=stage]").select_option(label="Interview")
    expect(_row(page, "Linus")).to_have_count(0)
    expect(_row(page, "Ada")).to_be_visible()


def test_an_interview_candidate_is_never_moved_back_to_lead(browser, live_server, sign_in, world):
    """The finding: a stage chosen, the results reloaded, the ticks set again, Apply: Lead won."""
    recruiter, people = world
    services.application_set_stage(
        actor=recruiter, application=people["Ada"], stage=Stage.INTERVIEW
    )
    page = browser.new_context().new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/people/")

    page.get_by_label("Move selected to").select_option(label="Offered")
    page.wait_for_load_state("networkidle")
    _row(page, "Ada").get_by_role("checkbox").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Moved 1 application to Offered.")).to_be_visible()
    assert _stage_of(people["Ada"]) == Stage.OFFERED

    # Apply without choosing a stage moves nobody (the browser asks for a stage first).
    _row(page, "Grace").get_by_role("checkbox").check()
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_label("Move selected to").evaluate("select => select.validity.valueMissing")
    assert _stage_of(people["Ada"]) == Stage.OFFERED
    assert _stage_of(people["Grace"]) == Stage.LEAD


def test_rejecting_in_bulk_asks_for_the_reason(browser, live_server, sign_in, world):
    recruiter, people = world
    page = browser.new_context().new_page()
    sign_in(page, recruiter.email, PASSWORD)
    page.goto(f"{live_server.url}/people/")

    _row(page, "Linus").get_by_role("checkbox").check()
    page.get_by_label("Move selected to").select_option(label="Rejected")
    reason = page.get_by_label("Rejection reason")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Apply").click()
    assert reason.evaluate("input => input.validity.valueMissing")
    assert _stage_of(people["Linus"]) == Stage.LEAD

    reason.fill("Salary expectations too high")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Moved 1 application to Rejected.")).to_be_visible()
    assert _stage_of(people["Linus"]) == Stage.REJECTED
