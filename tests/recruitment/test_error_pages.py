"""Issue 13: pages a user may not open, unknown pages, rate limits and failures answer with the
product's own page, in the layout of the user's portal, with a link home."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import AssignmentFactory, submit

pytestmark = pytest.mark.django_db

RECRUITER_NAV = 'href="/people/"'
AGENCY_NAV = 'href="/agency/candidates/"'
AUTH_CARD = 'class="auth-card"'


def _page(response):
    return response.content.decode()


@override_settings(DEBUG=False)
def test_forbidden_page_in_the_recruiter_layout(client_of, hiring_manager, recruiter):
    url = reverse("recruitment:job-create")
    assert client_of(recruiter).get(url).status_code == 200  # the page exists; a recruiter opens it
    response = client_of(hiring_manager).get(url)
    assert response.status_code == 403
    page = _page(response)
    assert "<h1>You can’t open this page</h1>" in page
    assert RECRUITER_NAV in page and AGENCY_NAV not in page
    assert 'class="btn btn-primary" href="/"' in page


@override_settings(DEBUG=False)
def test_forbidden_page_in_the_agency_layout(client_of, agency_a_admin, agency_a_user):
    url = reverse("portal-candidates:pool")
    assert client_of(agency_a_admin).get(url).status_code == 200
    response = client_of(agency_a_user).get(url)
    assert response.status_code == 403
    page = _page(response)
    assert "<h1>You can’t open this page</h1>" in page
    assert AGENCY_NAV in page and RECRUITER_NAV not in page
    assert 'class="btn btn-primary" href="/agency/"' in page


@override_settings(DEBUG=False)
def test_unknown_page_for_each_portal_and_anonymous(client, client_of, recruiter, agency_a_user):
    anonymous = client.get("/no-such-page/")
    assert anonymous.status_code == 404
    assert AUTH_CARD in _page(anonymous) and "<h1>Page not found</h1>" in _page(anonymous)
    assert RECRUITER_NAV not in _page(anonymous) and AGENCY_NAV not in _page(anonymous)

    employer = client_of(recruiter).get("/no-such-page/")
    assert employer.status_code == 404
    assert "<h1>Page not found</h1>" in _page(employer) and RECRUITER_NAV in _page(employer)

    agency = client_of(agency_a_user).get("/agency/no-such-page/")
    assert agency.status_code == 404
    assert "<h1>Page not found</h1>" in _page(agency) and AGENCY_NAV in _page(agency)


def _without_tokens(page):
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', "", page)


@override_settings(DEBUG=False)
def test_another_agencys_object_is_just_not_found(client_of, agency_a_user, agency_b_user, job):
    theirs = submit(
        agency_b_user, AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    )
    client = client_of(agency_a_user)
    existing = client.get(reverse("portal-candidates:detail", args=[theirs.public_id]))
    missing = client.get(reverse("portal-candidates:detail", args=[uuid.uuid4()]))
    assert existing.status_code == missing.status_code == 404
    assert _without_tokens(_page(existing)) == _without_tokens(_page(missing))
    assert "<h1>Page not found</h1>" in _page(existing)
    own = client_of(agency_b_user).get(reverse("portal-candidates:detail", args=[theirs.public_id]))
    assert own.status_code == 200


@pytest.mark.urls("tests.recruitment.error_urls")
@override_settings(DEBUG=False)
def test_failure_page_is_branded_and_static(client, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/test-failure/")
    assert response.status_code == 500
    page = _page(response)
    assert "<h1>Something went wrong on our side</h1>" in page
    assert AUTH_CARD in page and 'href="/"' in page
    assert "Northwind Talent" in page or "<title>" in page


@override_settings(DEBUG=False)
def test_bad_request_page_is_branded(client):
    response = client.get("/", headers={"host": "evil.example"})  # DisallowedHost
    assert response.status_code == 400
    assert "<h1>That request could not be read</h1>" in _page(response)
    assert AUTH_CARD in _page(response)


@override_settings(DEBUG=False, ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_login_rate_limit_page_is_branded(client, recruiter):
    cache.clear()
    try:
        url = reverse("account_login")
        answers = [
            client.post(url, {"login": recruiter.email, "password": "wrong-password"})
            for _ in range(3)
        ]
        assert [answer.status_code for answer in answers] == [200, 200, 429]
        page = _page(answers[-1])
        assert "<h1>Too many attempts</h1>" in page and AUTH_CARD in page
    finally:
        cache.clear()


@override_settings(DEBUG=False)
def test_expired_form_page_is_branded(recruiter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    response = client.post(reverse("recruitment:job-create"), {"title": "QA"})
    assert response.status_code == 403
    assert "<h1>This page has expired</h1>" in _page(response) and AUTH_CARD in _page(response)
