"""While Redis is down the cache answers as an empty one instead of failing the request."""

import logging

import pytest
from django.core.cache import caches
from django.urls import reverse
from redis import Redis
from redis.exceptions import ResponseError

from tests.factories import PASSWORD

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": NOTHING_LISTENS}}
    caches["default"].clear()  # the handler reads the changed settings on next access


def test_a_cache_without_redis_answers_as_an_empty_one(redis_down, caplog):
    cache = caches["default"]
    with caplog.at_level(logging.ERROR):
        assert cache.get("figures", "default") == "default"
        cache.set("figures", [1, 2])
        assert cache.get_many(["figures"]) == {}
        assert not cache.has_key("figures")
        assert cache.add("lock", 1) is True  # as if first: allauth's rate limits go ahead
    assert "Exception ignored" in caplog.text and "Connection refused" in caplog.text


def test_a_running_redis_keeps_what_is_set():
    cache = caches["default"]
    cache.set("figures", [1, 2])
    assert cache.get("figures") == [1, 2]
    assert cache.add("figures", [3]) is False
    cache.delete("figures")


def test_signing_in_works_while_redis_is_down(client, redis_down, agency_a_user):
    response = client.post(
        reverse("account_login"), {"login": agency_a_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_redis_that_refuses_writes_answers_as_an_empty_cache(monkeypatch):
    def oom(*args, **kwargs):
        raise ResponseError("OOM command not allowed when used memory > 'maxmemory'.")

    monkeypatch.setattr(Redis, "execute_command", oom)
    cache = caches["default"]
    cache.set("figures", [1, 2])
    assert cache.get("figures") is None
