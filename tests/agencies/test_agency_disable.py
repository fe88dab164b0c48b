"""An Owner disables, and re-enables, a whole agency from its page."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from agencies.models import Agency
from recruitment.models import AuditEvent
from tests.factories import submit


def _url(action, agency):
    return reverse(f"agencies:agency-{action}", kwargs={"public_id": agency.public_id})


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_user_of_the_agency_is_cut_off_at_their_next_request(
    client_of, owner, agency_a, agency_a_admin, agency_a_user, agency_b_user
):
    sessions = [_signed_in(user) for user in (agency_a_admin, agency_a_user)]
    other_agency = _signed_in(agency_b_user)

    response = client_of(owner).post(_url("disable", agency_a))

    assert response.url == reverse(
        "agencies:agency-detail", kwargs={"public_id": agency_a.public_id}
    )
    for session in sessions:
        refused = session.get(reverse("portal:home"))
        assert refused.url == reverse("account_login")
        assert "Agency A's access has been disabled" in str(
            list(get_messages(refused.wsgi_request))[0]
        )
    assert other_agency.get(reverse("portal:home")).status_code == 200
    event = AuditEvent.objects.get(action="agency.disabled")
    assert (event.agency_id, event.data) == (agency_a.pk, {"users": 2})


def test_records_stay_and_enabling_restores_access(
    client_of, owner, agency_a, agency_a_user, assignment_a
):
    submission = submit(agency_a_user, assignment_a)
    client = client_of(owner)
    client.post(_url("disable", agency_a))
    agency_a.refresh_from_db()
    assert not agency_a.is_active and agency_a.submissions.get() == submission

    client.post(_url("enable", agency_a))
    assert _signed_in(agency_a_user).get(reverse("portal:home")).status_code == 200
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="agency.")] == [
        "agency.enabled",
        "agency.disabled",
    ]


def test_disabling_twice_records_once(client_of, owner, agency_a):
    client = client_of(owner)
    client.post(_url("disable", agency_a))
    client.post(_url("disable", agency_a))
    assert AuditEvent.objects.filter(action="agency.disabled").count() == 1


def test_the_page_offers_the_right_button_with_a_confirmation(client_of, owner, agency_a):
    client = client_of(owner)
    page = client.get(reverse("agencies:agency-detail", kwargs={"public_id": agency_a.public_id}))
    assert "data-confirm=" in page.content.decode() and "Disable agency" in page.content.decode()
    client.post(_url("disable", agency_a))
    page = client.get(reverse("agencies:agency-detail", kwargs={"public_id": agency_a.public_id}))
    assert "Enable agency" in page.content.decode()


def test_only_owners(client_of, owner, recruiter, agency_a_admin, agency_a):
    assert client_of(recruiter).post(_url("disable", agency_a)).status_code == 403
    assert client_of(agency_a_admin).post(_url("disable", agency_a)).status_code == 404
    assert Agency.objects.get(pk=agency_a.pk).is_active
    assert client_of(owner).post(_url("disable", agency_a)).status_code == 302
    assert not Agency.objects.get(pk=agency_a.pk).is_active


def test_rejects_get(client_of, owner, agency_a):
    assert client_of(owner).get(_url("disable", agency_a)).status_code == 405


def test_anonymous_goes_to_login(client, agency_a):
    assert client.post(_url("disable", agency_a)).url.startswith(reverse("account_login"))
    assert Agency.objects.get(pk=agency_a.pk).is_active
