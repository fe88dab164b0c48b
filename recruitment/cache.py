"""Django's Redis cache, made to keep the site up while Redis is down.

Nothing the app keeps in the cache is essential, so while Redis cannot be reached the cache answers
as Django's DummyCache does (nothing is found, writes are dropped, add() succeeds), with a warning
in the log, instead of failing the request:
- the analytics figures are counted afresh on every request;
- rate limits (allauth's logins, invitations, webhooks) fail open: failing closed would lock
  everyone out of signing in (sessions live in PostgreSQL and need no Redis) for the whole outage,
  while failing open gives a password guesser no more than the outage, which /healthz reports;
- every chat message schedules a notification run instead of the first of a burst only; each run
  mails only what earlier runs did not (thread_notify's claim on the ReadMarker), so a burst still
  makes one email per person.
"""

import logging

from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_soft(name: str):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return redis_method(self, *args, **kwargs)
        except RedisError as exc:  # unreachable, or refusing writes (OOM, MISCONF, READONLY)
            logger.warning("Cache unavailable (%s); %s() answered as by an empty cache", exc, name)
            return getattr(self.offline, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.offline = DummyCache(server, params)

    add = _fail_soft("add")
    get = _fail_soft("get")
    set = _fail_soft("set")
    touch = _fail_soft("touch")
    delete = _fail_soft("delete")
    get_many = _fail_soft("get_many")
    has_key = _fail_soft("has_key")
    incr = _fail_soft("incr")
    set_many = _fail_soft("set_many")
    delete_many = _fail_soft("delete_many")
    clear = _fail_soft("clear")
