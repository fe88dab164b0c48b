"""What `make load` (tests/load/run.py) and `make scan` (tests/security/scan.py) both need to run the
app with production settings on a database and a Redis db of their own, and to sign users in
without the login form."""

import os
import secrets
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis


def with_database(url: str, name: str) -> str:
    """The same server's URL for another database (PostgreSQL) or db number (Redis)."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def app_environment(tool: str, *, database: str, redis_db: int, out_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on loopback, with a database and a Redis db of `tool`'s own."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        if name not in os.environ:
            sys.exit(f"{tool}: {name} is not set; run this through `make {tool}`")
    return {
        "DEBUG": "false",
        "DEVTOOLS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": with_database(os.environ["DATABASE_URL"], database),
        "REDIS_URL": with_database(os.environ["REDIS_URL"], str(redis_db)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TEXTING_PROVIDER": "messaging.providers.ConsoleProvider",
        "MEDIA_ROOT": str(out_dir / "media"),
        "PYTHONUNBUFFERED": "1",
    }


def with_devtools(env: dict[str, str]) -> dict[str, str]:
    """The same environment with the development tools installed, for a seed command (seed_demo,
    seed_large) only: the app that serves runs without them, as in production."""
    return {**env, "DEVTOOLS": "true"}


def reset_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def reset_redis(url: str) -> None:
    redis.Redis.from_url(url).flushdb()


def signed_in_session(user) -> str:
    """A session holding what django.contrib.auth.login() stores for the user (Django set up)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
