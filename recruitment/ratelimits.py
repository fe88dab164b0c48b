"""Rate limits of the product's own doors (allauth limits signing in: ACCOUNT_RATE_LIMITS).

django-ratelimit counts attempts in the cache; while Redis is down they fail open
(RATELIMIT_FAIL_OPEN, for the reason settings.CACHES gives).
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str:
    """The client's address, as the last of settings.TRUSTED_PROXY_COUNT proxies saw it."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [ip.strip() for ip in request.headers.get("X-Forwarded-For", "").split(",")]
    if proxies and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    return request.META["REMOTE_ADDR"]


def over_limit(request, action: str) -> bool:
    """Count one attempt at `action` (a key of settings.RATE_LIMITS); True once over its rate."""
    key, rate = settings.RATE_LIMITS[action]
    return is_ratelimited(request, group=action, key=key, rate=rate, increment=True)
