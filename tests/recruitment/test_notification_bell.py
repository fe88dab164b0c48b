"""The navigation's notification bell, polled by both portals' pages like the Inbox count: one
query of its own, and 204 while the page shows the right number."""

import pytest
from django.urls import reverse

from recruitment import services
from recruitment.models import Notification

URL = reverse("recruitment:notifications-unread-badge")


@pytest.fixture
def notified(agency_a_user):
    services.notify(users=[agency_a_user], text="Ada is now In review", url="/agency/")
    return agency_a_user


def test_it_answers_the_bell_as_a_fragment(client_of, notified):
    response = client_of(notified).get(URL, {"shown": "0"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="notification-bell"' in html and 'aria-label="Notifications, 1 unread"' in html
    assert '<span class="count-badge">1</span>' in html
    assert f"{URL}?shown=1" in html  # the next poll says what it shows now


def test_it_answers_204_while_the_count_is_unchanged(client_of, notified):
    response = client_of(notified).get(URL, {"shown": "1"})
    assert response.status_code == 204 and response.content == b""


def test_it_counts_only_the_users_own(client_of, notified, agency_b_user):
    assert client_of(agency_b_user).get(URL, {"shown": "0"}).status_code == 204
    assert "1 unread" in client_of(notified).get(URL, {"shown": "0"}).content.decode()


def test_reading_the_notification_clears_it(client_of, notified):
    client = client_of(notified)
    notification = Notification.objects.get(user=notified)
    client.post(reverse("recruitment:notification-read", args=[notification.public_id]))
    response = client.get(URL, {"shown": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "count-badge" not in html
    assert 'aria-label="Notifications"' in html and f"{URL}?shown=0" in html


def test_marking_all_read_clears_it(client_of, notified):
    client = client_of(notified)
    client.post(reverse("recruitment:notifications-read-all"))
    assert "count-badge" not in client.get(URL, {"shown": "1"}).content.decode()


def test_the_page_carries_the_polling_bell(client_of, notified, recruiter):
    html = client_of(notified).get(reverse("portal:home")).content.decode()
    assert 'id="notification-bell"' in html and 'hx-trigger="every 15s"' in html
    assert f"{URL}?shown=1" in html and 'aria-label="Notifications, 1 unread"' in html
    assert (
        f"{URL}?shown=0"
        in client_of(recruiter).get(reverse("recruitment:job-list")).content.decode()
    )


@pytest.mark.parametrize("persona", ["recruiter", "agency_a_user"])
def test_it_costs_one_query_of_its_own(client_of, request, django_assert_num_queries, persona):
    client = client_of(request.getfixturevalue(persona))
    with django_assert_num_queries(3):  # the session, the user (with membership), the count
        client.get(URL, {"shown": "5"})


def test_anonymous_goes_to_login(client):
    assert client.get(URL).url.startswith(reverse("account_login"))


def test_rejects_post(client_of, recruiter):
    assert client_of(recruiter).post(URL).status_code == 405
