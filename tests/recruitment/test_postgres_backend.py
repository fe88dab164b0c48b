"""recruitment.postgres: a connection the server refuses (it is restarting) is tried again for
DATABASE_CONNECT_RETRY_SECONDS, then fails as before. tests/drills/test_postgres_restart.py
restarts a real server under a running app."""

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base

from recruitment.postgres.base import DatabaseWrapper


@pytest.fixture
def refusals(monkeypatch):
    """Django's own connect refuses the first N tries, as a restarting server does."""
    real, tries = base.DatabaseWrapper.get_new_connection, []

    def connect(self, conn_params, refuse):
        tries.append(refuse)
        if len(tries) <= refuse:
            raise psycopg.OperationalError("connection refused: the server is starting up")
        return real(self, conn_params)

    def refuse(n):
        monkeypatch.setattr(
            base.DatabaseWrapper, "get_new_connection", lambda self, p: connect(self, p, n)
        )
        return tries

    return refuse


def _new_connection():
    wrapper = DatabaseWrapper(connection.settings_dict)
    return wrapper, wrapper.get_new_connection(wrapper.get_connection_params())


def test_a_refused_connection_is_tried_again(refusals, settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 5
    tries = refusals(3)
    _wrapper, raw = _new_connection()
    try:
        assert raw.execute("SELECT 1").fetchone() == (1,)
    finally:
        raw.close()
    assert len(tries) == 4


def test_a_server_that_stays_down_fails_after_the_window(refusals, settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 0.5
    tries = refusals(1000)
    with pytest.raises(psycopg.OperationalError):
        _new_connection()
    assert 2 <= len(tries) < 10


def test_the_app_uses_it(settings):
    assert {db["ENGINE"] for db in settings.DATABASES.values()} == {"recruitment.postgres"}
