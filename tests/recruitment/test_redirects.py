"""Every redirect taken from input stays on this site (recruitment.redirects.safe_next): a `next`
naming another site, however it is spelt, falls back to the view's own page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from candidates.models import Application, Stage
from recruitment.redirects import safe_next
from tests.factories import submit

OTHER_SITES = [
    "https://evil.example/people/",
    "//evil.example/people/",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    "12173",  # relative, and a bare word that redirect() would take for a URL name
]
GOOD = "/people/?stage=interview&q=ada"


@pytest.mark.parametrize("target", OTHER_SITES)
def test_another_site_falls_back_to_the_default(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "candidates:people") == "/people/"


@pytest.mark.parametrize("target", [GOOD, "http://testserver/people/"])
def test_a_url_of_this_site_is_kept(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "candidates:people") == target


def test_without_next_the_default_is_used():
    assert safe_next(RequestFactory().post("/"), "candidates:people") == "/people/"


@pytest.fixture
def application(agency_a_user, assignment_a):
    return submit(agency_a_user, assignment_a).application


def _bulk_stage(client, application, target):
    data = {"applications": [application.public_id], "stage": Stage.IN_REVIEW, "next": target}
    return client.post(reverse("candidates:applications-bulk-stage"), data)


@pytest.mark.parametrize("target", OTHER_SITES)
def test_bulk_stage_change_never_sends_the_browser_to_another_site(
    client_of, recruiter, application, target
):
    response = _bulk_stage(client_of(recruiter), application, target)
    assert (response.status_code, response["Location"]) == (302, "/people/")
    assert Application.objects.get(pk=application.pk).stage == Stage.IN_REVIEW


def test_bulk_stage_change_returns_to_the_filtered_list(client_of, recruiter, application):
    """The positive twin: the list the recruiter came from, with its filters, is kept."""
    response = _bulk_stage(client_of(recruiter), application, GOOD)
    assert (response.status_code, response["Location"]) == (302, GOOD)


@pytest.mark.parametrize(("target", "expected"), [(OTHER_SITES[1], "/"), (GOOD, GOOD)])
def test_sign_in_follows_only_this_sites_next(client, recruiter, target, expected):
    """allauth checks its own `next` the same way; this keeps it so."""
    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": recruiter.email, "password": PASSWORD, "next": target}
    )
    assert (response.status_code, response["Location"]) == (302, expected)
