"""The navigation's Inbox count, polled by both portals' pages so that it stays true without a
reload: one query of its own, and 204 while the page shows the right number."""

import pytest
from django.urls import reverse

from messaging.services import threads as services

URL = reverse("messaging:unread-badge")


def test_it_answers_the_count_as_a_fragment(client_of, candidate_thread, agency_a_user):
    response = client_of(agency_a_user).get(URL, {"shown": "0"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'aria-label="1 unread">1</span>' in html and 'id="inbox-unread"' in html
    assert f"{URL}?shown=1" in html  # the next poll says what it shows now


def test_it_answers_204_while_the_count_is_unchanged(client_of, candidate_thread, agency_a_user):
    response = client_of(agency_a_user).get(URL, {"shown": "1"})
    assert response.status_code == 204 and response.content == b""


def test_it_counts_only_threads_the_user_sees(
    client_of, candidate_thread, agency_b_admin, agency_a_admin
):
    assert client_of(agency_b_admin).get(URL, {"shown": "0"}).status_code == 204
    assert "1 unread" in client_of(agency_a_admin).get(URL, {"shown": "0"}).content.decode()


def test_reading_the_thread_clears_it(client_of, candidate_thread, agency_a_user):
    client = client_of(agency_a_user)
    client.get(reverse("messaging:thread", args=[candidate_thread.public_id]))
    response = client.get(URL, {"shown": "1"})
    assert response.status_code == 200 and "count-badge" not in response.content.decode()


def test_the_page_carries_the_polling_badge(client_of, recruiter, agency_a_user, candidate_thread):
    html = client_of(agency_a_user).get(reverse("portal:home")).content.decode()
    assert 'hx-trigger="every 15s, unread-changed from:body"' in html
    assert f"{URL}?shown=1" in html
    recruiter_html = client_of(recruiter).get(reverse("recruitment:job-list")).content.decode()
    assert f"{URL}?shown=0" in recruiter_html


@pytest.mark.parametrize("persona", ["recruiter", "agency_a_user"])
def test_it_costs_one_query_of_its_own(
    client_of, request, candidate_thread, django_assert_num_queries, persona
):
    client = client_of(request.getfixturevalue(persona))
    with django_assert_num_queries(3):  # the session, the user (with membership), the count
        client.get(URL, {"shown": "5"})


def test_anonymous_goes_to_login(client):
    assert client.get(URL).url.startswith(reverse("account_login"))


def test_rejects_post(client_of, recruiter):
    assert client_of(recruiter).post(URL).status_code == 405


def test_a_new_message_raises_it(client_of, candidate_thread, recruiter, agency_a_user):
    services.message_post(actor=recruiter, thread=candidate_thread, body="And another thing")
    client = client_of(agency_a_user)
    client.get(reverse("messaging:thread", args=[candidate_thread.public_id]))
    assert client.get(URL, {"shown": "0"}).status_code == 204
    services.message_post(actor=recruiter, thread=candidate_thread, body="One more")
    assert "1 unread" in client.get(URL, {"shown": "0"}).content.decode()
