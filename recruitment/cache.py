"""django-redis's cache, told what add() answers while Redis is down.

With IGNORE_EXCEPTIONS (settings.CACHES) an unreachable Redis finds nothing and drops writes, but
add() would answer None, "someone else holds it": allauth's rate limits take a lock with add() and
would then refuse every sign-in for the whole outage. As if first, as Django's DummyCache answers.
"""

from django_redis.cache import RedisCache, omit_exception


class FailOpenRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
