"""The live server answers each of Chromium's keep-alive sockets from a thread of its own, and
Chromium keeps those sockets open across the session's tests: a request must not leave its
database connection open in such a thread, or a run of the browser tests holds over a hundred
(PostgreSQL's default limit) and the rest of the run fails with "too many clients"."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from recruitment.models import Role
from tests.factories import PASSWORD, JobFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def other_connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_pages_served_leave_no_database_connection_open(page, live_server, sign_in):
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    JobFactory(title="Platform Engineer", coordinator=recruiter)
    sign_in(page, recruiter.email, PASSWORD)
    for _ in range(3):
        page.goto(f"{live_server.url}/jobs/")
        expect(page.get_by_role("link", name="Platform Engineer")).to_be_visible()

    assert other_connections_to_this_database() == 0
