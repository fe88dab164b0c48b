"""Fault drills: each test runs the real processes on servers of its own, then breaks something."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.drills.stack import PASSWORD, RedisServer, Stack


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_stack(transactional_db, tmp_path, redis_server):
    """start_stack() -> a Stack on the test database (or on database_url) and the private Redis."""
    stacks = []

    def start(database_url: str | None = None) -> Stack:
        stack = Stack(
            database_url=database_url or _test_database_url(), redis_url=redis_server.url,
            secret_key=settings.SECRET_KEY, directory=tmp_path,
        )  # fmt: skip
        stacks.append(stack)
        return stack

    try:
        yield start
    finally:
        for stack in stacks:
            stack.stop()


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def agency_user(agency_a_user):
    """Agency A's recruiter, with a password the production settings' hasher can check."""
    hasher = PBKDF2PasswordHasher()
    agency_a_user.password = hasher.encode(PASSWORD, hasher.salt())
    agency_a_user.save(update_fields=["password"])
    return agency_a_user
