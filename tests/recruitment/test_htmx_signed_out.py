"""An htmx request from someone no longer signed in (the session expired, they signed out in
another tab, or they were disabled) sends the whole page to the login page, and back to where it
was afterwards, instead of swapping the login page into a polled fragment. A plain request keeps
the ordinary redirect."""

from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from messaging.services import threads as services
from tests.factories import submit

BADGE = reverse("messaging:unread-badge")
LOGIN = reverse("account_login")


def _htmx(current_url="http://testserver/people/?stage=interview"):
    return {"HX-Request": "true", "HX-Current-URL": current_url}


def test_a_signed_out_poll_takes_the_page_to_the_login_page_and_back(client):
    response = client.get(BADGE, {"shown": "0"}, headers=_htmx())
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == f"{LOGIN}?next={quote('/people/?stage=interview', safe='/')}"


def test_a_plain_request_keeps_the_ordinary_redirect(client):
    response = client.get(BADGE, {"shown": "0"})
    assert response.status_code == 302 and "HX-Redirect" not in response
    assert response.url == f"{LOGIN}?next={quote(BADGE + '?shown=0', safe='/')}"


@pytest.mark.parametrize(
    "current_url",
    [
        "https://evil.example/people/",
        "http://testserver//evil.example/",
        "http://testserver@evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_page_of_another_site_is_not_where_it_leads_back(client, current_url):
    response = client.get(BADGE, headers=_htmx(current_url))
    assert response["HX-Redirect"] == LOGIN


def test_a_signed_out_post_is_redirected_alike(client, agency_a_user, assignment_a, recruiter):
    candidate = submit(agency_a_user, assignment_a).candidate
    thread = services.candidate_thread_start(actor=recruiter, candidate=candidate, body="Hi").thread
    url = reverse("messaging:message-post", args=[thread.public_id])
    client.force_login(agency_a_user)
    client.logout()
    response = client.post(
        url, {"body": "Lost"}, headers=_htmx(f"http://testserver/threads/{thread.public_id}/")
    )
    assert response["HX-Redirect"] == f"{LOGIN}?next=/threads/{thread.public_id}/"
    assert thread.messages.count() == 1


def test_a_disabled_users_poll_takes_the_page_to_the_login_page_with_the_reason(
    client_of, recruiter
):
    client = client_of(recruiter)
    assert client.get(BADGE, {"shown": "5"}, headers=_htmx()).status_code == 200
    recruiter.is_active = False
    recruiter.save()
    response = client.get(BADGE, {"shown": "5"}, headers=_htmx())
    assert response["HX-Redirect"].startswith(LOGIN)
    assert "disabled" in " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "_auth_user_id" not in client.session  # signed out, as a plain request is


def test_a_disabled_users_plain_request_keeps_the_ordinary_redirect(client_of, recruiter):
    client = client_of(recruiter)
    recruiter.is_active = False
    recruiter.save()
    response = client.get(BADGE, {"shown": "5"})
    assert response.status_code == 302 and response.url == LOGIN
    assert "HX-Redirect" not in response


def test_a_signed_in_htmx_request_is_answered_as_before(client_of, recruiter):
    response = client_of(recruiter).get(BADGE, {"shown": "0"}, headers=_htmx())
    assert response.status_code == 204 and "HX-Redirect" not in response
