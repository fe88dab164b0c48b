"""Django's PostgreSQL backend, waiting out a server restart (settings.DATABASES' ENGINE).

A restart (an upgrade, a failover, `pg_ctl restart`) refuses connections for a second or a few.
CONN_HEALTH_CHECKS finds the process's old connection dead at the next request; opening the new
one is tried again here for up to DATABASE_CONNECT_RETRY_SECONDS, so that a request arriving
meanwhile waits for the server instead of failing (tests/drills/test_postgres_restart.py measures
it).
"""

import time

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DATABASE_CONNECT_RETRY_SECONDS
        pause = 0.1
        while True:
            try:
                return super().get_new_connection(conn_params)
            except psycopg.OperationalError:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
