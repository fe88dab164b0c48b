"""While Redis is down the cache answers as an empty one instead of failing the request."""

import logging

import pytest
from django.core.cache.backends.redis import RedisCacheClient
from django.urls import reverse
from redis.exceptions import ResponseError

from recruitment.cache import FailSoftRedisCache
from tests.factories import PASSWORD

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


def test_a_cache_without_redis_answers_as_an_empty_one(caplog):
    cache = FailSoftRedisCache(NOTHING_LISTENS, {})
    with caplog.at_level(logging.WARNING, logger="recruitment.cache"):
        assert cache.get("figures", "default") == "default"
        assert cache.add("lock", 1) is True  # as if first: callers go ahead
        cache.set("figures", [1, 2])
        assert cache.get_many(["figures"]) == {}
        assert cache.has_key("figures") is False
        assert cache.delete("figures") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert "Cache unavailable" in caplog.text and "Connection refused" in caplog.text


def test_signing_in_works_while_redis_is_down(client, settings, agency_a_user):
    settings.CACHES = {
        "default": {"BACKEND": "recruitment.cache.FailSoftRedisCache", "LOCATION": NOTHING_LISTENS}
    }
    response = client.post(
        reverse("account_login"), {"login": agency_a_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_redis_that_refuses_writes_answers_as_an_empty_cache(monkeypatch):
    def oom(*args, **kwargs):
        raise ResponseError("OOM command not allowed when used memory > 'maxmemory'.")

    monkeypatch.setattr(RedisCacheClient, "add", oom)
    cache = FailSoftRedisCache(NOTHING_LISTENS, {})
    assert cache.add("lock", 1) is True
