"""The product's own rate limits: each door has its own count, and the client is who the proxy saw."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from recruitment.ratelimits import client_ip, over_limit


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def request_from(address, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, headers=headers)


def test_an_action_is_refused_once_over_its_rate(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_accept": ("ip", "2/m")}
    answers = [over_limit(request_from("203.0.113.7"), "invitation_accept") for _ in range(3)]
    assert answers == [False, False, True]
    assert over_limit(request_from("203.0.113.8"), "invitation_accept") is False


def test_the_candidate_confirmation_link_counts_apart_from_invitations(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "invitation_accept": ("ip", "1/m"),
        "candidate_confirm": ("ip", "1/m"),
    }
    request = request_from("203.0.113.7")
    assert over_limit(request, "invitation_accept") is False
    assert over_limit(request, "candidate_confirm") is False
    assert over_limit(request, "invitation_accept") is True
    assert over_limit(request, "candidate_confirm") is True


def test_without_trusted_proxies_the_socket_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("10.0.0.2", forwarded="198.51.100.9")) == "10.0.0.2"


def test_behind_a_trusted_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged_then_seen = "192.0.2.66, 198.51.100.9"
    assert client_ip(request_from("10.0.0.2", forwarded=forged_then_seen)) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_behind_a_proxy_two_clients_have_two_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "webhook": ("ip", "1/m")}
    assert over_limit(request_from("10.0.0.2", forwarded="198.51.100.9"), "webhook") is False
    assert over_limit(request_from("10.0.0.2", forwarded="198.51.100.10"), "webhook") is False
    assert over_limit(request_from("10.0.0.2", forwarded="198.51.100.9"), "webhook") is True
