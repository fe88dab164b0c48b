"""Issue 13: an Owner in the Django admin. Raising an agency recruiter to Owner is not offered and
a refused change shows on the form; a private thread shows its participants, never its messages."""

import pytest
from playwright.sync_api import expect

from messaging.services import threads as services
from recruitment.models import AuditEvent, Role
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "Offer them 95k but keep it between us"


def _shoot(page, name):
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/admin-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_changes_users_only_as_the_rules_allow(page, live_server, sign_in):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example", first_name="Olivia")
    jack = AgencyUserFactory(
        role=Role.AGENCY_RECRUITER, agency=AgencyFactory(name="Apex Talent"), first_name="Jack"
    )
    sign_in(page, owner.email, PASSWORD)

    page.goto(f"{live_server.url}/admin/recruitment/user/{jack.pk}/change/")
    role = page.get_by_label("Role")
    assert role.locator("option").all_inner_texts() == ["Agency admin", "Agency recruiter"]
    page.get_by_label("First name").fill("Jackson")
    role.select_option("agency_admin")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    jack.refresh_from_db()
    assert (jack.first_name, jack.role) == ("Jackson", Role.AGENCY_ADMIN)
    assert AuditEvent.objects.filter(action="user.role_changed", actor=owner).exists()

    page.goto(f"{live_server.url}/admin/recruitment/user/{owner.pk}/change/")
    page.get_by_label("Active").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_text("You cannot disable your own account.")).to_be_visible()
    _shoot(page, "user-refused")
    owner.refresh_from_db()
    assert owner.is_active


def test_owner_sees_a_private_thread_exists_but_not_what_was_said(page, live_server, sign_in):
    owner = UserFactory(role=Role.OWNER, email="olivia@employer.example")
    recruiter = UserFactory(role=Role.RECRUITER, first_name="Rita", last_name="Recruiter")
    jack = AgencyUserFactory(agency=AgencyFactory(), first_name="Jack", last_name="Agent")
    message = services.private_thread_start(actor=recruiter, partner=jack, body=SECRET)
    services.message_delete(actor=recruiter, message=message)
    sign_in(page, owner.email, PASSWORD)

    page.goto(f"{live_server.url}/admin/messaging/thread/{message.thread_id}/change/")
    expect(page.locator("#content")).to_contain_text("Rita Recruiter")
    expect(page.locator("#content")).to_contain_text("Jack Agent")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    _shoot(page, "private-thread")

    event = AuditEvent.objects.get(action="message.deleted")
    page.goto(f"{live_server.url}/admin/recruitment/auditevent/{event.pk}/change/")
    expect(page.locator("#content")).to_contain_text("private thread: not shown")
    _shoot(page, "audit-event")
    assert SECRET[:20] not in page.content()
