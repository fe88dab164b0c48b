"""Test settings: the real PostgreSQL and Redis of `make test`, with fast hashing and captured
email."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("DEBUG", "true")

from recruitment.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A Redis database of its own, so a `make run` worker on the same server never answers the tests
# (TEST_REDIS_DB picks another, for two checkouts testing at once against one server).
TEST_REDIS_DB = os.environ.get("TEST_REDIS_DB", "9")
REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{TEST_REDIS_DB}").geturl()  # noqa: F405
CACHES["default"]["LOCATION"] = CELERY_BROKER_URL = REDIS_URL  # noqa: F405
# Tasks run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SECURE_SSL_REDIRECT = False
TEXTING_PROVIDER = "messaging.providers.InMemoryProvider"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
# The test database's name, fixed here: pytest-django with --reuse-db leaves NAME set to the test
# database after a session, so a second session in the same process (mutmut runs several, then
# forks one per mutant) would otherwise create and migrate test_test_<name>.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}"}  # noqa: F405
# Every request closes its connection: the browser tests' live server answers each of Chromium's
# keep-alive sockets from a thread of its own, which would otherwise keep one open per idle socket.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# A replica alias for the tests that opt into it (REPORTING_DATABASE stays "default" otherwise).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
