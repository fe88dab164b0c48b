"""Races made certain: wait until a PostgreSQL backend is blocked on a row lock another holds."""

import time

import pytest
from django.db import connection


def wait_until_blocked_on_a_lock(backend_pid, seconds=20):
    """Return once that PostgreSQL backend (`backend_pid()`) waits for a lock; fail if it never
    does, so a test cannot quietly stop racing (a fixed sleep would let the second arrive after
    the first's commit)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
                [backend_pid()],
            )
            if cursor.fetchone():
                return
            time.sleep(0.01)
    pytest.fail("The second never waited for the row the first holds: they did not race")
