"""Settings, every value read from the environment.

Development (`make run`) sets DEBUG=true; with DEBUG off a missing secret or service URL raises
ImproperlyConfigured at start-up instead of failing later in a request.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)


def required(name: str, dev_default: str) -> str:
    """A value production must set explicitly; development falls back to a local default."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"Set the {name} environment variable (DEBUG is off).")


SECRET_KEY = required("SECRET_KEY", "dev-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = required("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
CSRF_FAILURE_VIEW = "recruitment.errors.csrf_failure"
EMPLOYER_NAME = env.str("EMPLOYER_NAME", default="Northwind Talent")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "recruitment",
    "agencies",
    "candidates",
    "messaging",
]
# The development tools (devtools/: seed_demo, seed_large, bench) come with DEBUG; production has
# none of them. DEVTOOLS=true adds them under production settings, for `make load` and `make scan`
# to seed their data.
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "recruitment.middleware.RetryReadAfterLostConnection",
    "django.middleware.security.SecurityMiddleware",
    "recruitment.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before the account checks below: they answer an htmx request as htmx understands.
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recruitment.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agencies.middleware.ActiveAccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

FORM_RENDERER = "recruitment.forms.FormRenderer"
ROOT_URLCONF = "recruitment.urls"
WSGI_APPLICATION = "recruitment.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recruitment.context_processors.navigation",
                "messaging.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(
        required("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recruitment")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A new connection is tried again for this long while the server refuses it (a restart):
# recruitment.postgres, the backend, makes a request wait for the server rather than fail.
DATABASES["default"]["ENGINE"] = "recruitment.postgres"
DATABASE_CONNECT_RETRY_SECONDS = env.int("DATABASE_CONNECT_RETRY_SECONDS", default=10)
# Page queries are short. JIT compilation costs them 100+ ms whenever the planner's estimate is
# large; a parallel plan starts workers for a page of 25 rows, and under a LIMIT its Gather Merge
# reads several times the rows a single process would (a rare name's search: 100 -> 30 ms).
# Analytics' uncached counts lose ~20% by it; a replica (below) keeps parallel plans for them.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c jit=off -c max_parallel_workers_per_gather=0"
)
# Analytics may read from a streaming replica: its figures are cached for minutes anyway, so a
# replica's lag of seconds never shows, and the primary keeps its time for the pages that write.
if replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    replica = env.db_url_config(replica_url)  # its own OPTIONS (sslmode…) only, not the primary's
    replica["OPTIONS"] = {**replica.get("OPTIONS", {}), "options": "-c jit=off"}
    replica.update(
        ENGINE="recruitment.postgres",
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
    )
    DATABASES["replica"] = replica
REPORTING_DATABASE = "replica" if replica_url else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = required("REDIS_URL", "redis://127.0.0.1:6379/0")
# Nothing the app keeps in the cache is essential, so while Redis is down (or refuses writes) the
# cache ignores its errors (django-redis's IGNORE_EXCEPTIONS, logged): it finds nothing and drops
# writes; analytics figures are counted afresh, and the rate limits fail open, since failing closed
# would lock everyone out of signing in (sessions live in PostgreSQL) for the whole outage while
# failing open gives a password guesser no more than the outage, which /healthz reports.
CACHES = {
    "default": {
        "BACKEND": "recruitment.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "recruitment",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_FAIL_OPEN = True
# Sessions live in the database so web replicas stay stateless and a disabled user can be cut off.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "recruitment.User"
# User.email is unique case-insensitively (constraint user_email_ci_unique), which this check
# cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = ["agencies.auth.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "recruitment:home"

ACCOUNT_ADAPTER = "agencies.auth.InviteOnlyAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# The product's own limits (recruitment/ratelimits.py): action -> (what is counted, rate).
RATE_LIMITS = {
    "invitation_send": ("user", "30/h"),
    "invitation_accept": ("ip", "20/m"),
    "candidate_confirm": ("ip", "20/m"),
    "resume_prefill": ("user", "60/h"),
    "webhook": ("ip", "600/m"),
}
# Behind this many proxies that each append the address they saw to X-Forwarded-For (the proxy of
# docker-compose.yml is one), the client is that many entries from the end; 0 uses the socket's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "recruitment.ratelimits.client_ip"
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
SUBMISSION_CONFIRMATION_TTL = timedelta(days=env.int("SUBMISSION_CONFIRMATION_DAYS", default=14))
MESSAGE_NOTIFY_DELAY_SECONDS = env.int("MESSAGE_NOTIFY_DELAY_SECONDS", default=120)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
# Texting: "messaging.providers.TwilioProvider" in production (needs the Twilio settings below).
TEXTING_PROVIDER = required("TEXTING_PROVIDER", "messaging.providers.ConsoleProvider")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="dev-twilio-auth-token" if DEBUG else "")
TWILIO_WHATSAPP_TEMPLATE_SID = env.str("TWILIO_WHATSAPP_TEMPLATE_SID", default="")
if TEXTING_PROVIDER.endswith("TwilioProvider") and not all(
    (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_TEMPLATE_SID)
):
    raise ImproperlyConfigured(
        "The Twilio provider needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
        "TWILIO_WHATSAPP_TEMPLATE_SID."
    )
TEXT_MAX_LENGTH = 1600
QUIET_HOURS = (8, 20)  # texts outside 8:00-20:00 in the candidate's local time ask for confirmation
RESUME_MAX_BYTES = env.int("RESUME_MAX_MB", default=10) * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{EMPLOYER_NAME} <hiring@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is short (a resume parse is cut off at 60 s in its child process); the limit also
# bounds how long a live worker holds a message, which the visibility timeout below must exceed.
CELERY_TASK_TIME_LIMIT = 60
CELERY_TASK_SOFT_TIME_LIMIT = 45
# The longest a task may wait on the broker (a countdown or eta; recruitment.celery.Task refuses
# more): a worker holds a delayed message unacknowledged until it is due. Longer delays are kept
# as due times in PostgreSQL and swept by beat (chat notifications, scheduled texts).
BROKER_MAX_DELAY_SECONDS = 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish the broker refuses is tried twice more within half a second (a restarted Redis leaves
# stale pooled connections), then the task is kept in PostgreSQL (recruitment.celery.Task).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message a worker took but has not acknowledged (acks_late) returns to the queue once it is
    # older than this: that is how the task of a worker killed mid-run runs again, within
    # visibility_timeout + unacked_restore_interval (130 s) of the dead worker taking it. A live
    # worker holds a message at most BROKER_MAX_DELAY_SECONDS + CELERY_TASK_TIME_LIMIT (90 s), so
    # none of its tasks is handed out twice (tests/recruitment/test_redelivery.py keeps both so).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=120),
    # Each worker looks for such messages every 10 s (kombu's default is every 10th call of 10 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # Without these, a publish waits forever on a Redis that stopped answering.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BEAT_SCHEDULE = {
    # A burst of chat messages is emailed MESSAGE_NOTIFY_DELAY_SECONDS (to 15 s more) after its
    # first.
    "thread-notifications-send": {
        "task": "messaging.tasks.thread_notifications_send",
        "schedule": 15.0,
    },
    "pending-tasks-publish": {"task": "recruitment.tasks.pending_tasks_publish", "schedule": 60.0},
    "texts-send-scheduled": {"task": "messaging.tasks.texts_send_scheduled", "schedule": 60.0},
    "texts-mark-unconfirmed": {"task": "messaging.tasks.texts_mark_unconfirmed", "schedule": 300.0},
    "pending-resumes-delete": {
        "task": "candidates.tasks.pending_resumes_delete",
        "schedule": 3600.0,
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
