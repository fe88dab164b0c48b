"""Drill: PostgreSQL restarts (fast mode: every session is cut off) under a running web server
and worker. Neither is restarted: the next requests succeed (CONN_HEALTH_CHECKS replaces the web
process's dead connection) and the worker goes on with its tasks (Celery's Django fixup closes
the connection around each task)."""

from pathlib import Path

import pytest
from django.db import connection

from candidates.models import Candidate, Resume
from tests.drills.stack import PostgresServer, wait_for

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]
RESUME = Path(__file__).resolve().parents[2].parent / "shared" / "resumes" / "rendercv_classic.pdf"
DATABASE = "drill"


@pytest.fixture
def postgres_server():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


def test_web_and_worker_carry_on_after_a_postgres_restart(
    start_stack, postgres_server, agency_user, assignment_a
):
    # The test database, with its users and jobs, copied to the server this drill may restart.
    stack = start_stack(postgres_server.copy_database(connection.settings_dict, DATABASE))
    web = stack.start_web()
    worker = stack.start_worker()
    session = stack.sign_in(agency_user.email)
    _submit(stack, session, assignment_a, "before@example.com")
    _wait_until_parsed(postgres_server, stack, "before@example.com")  # the worker used the database

    postgres_server.restart()

    for _ in range(3):
        response = session.get(f"{stack.url}/agency/candidates/", timeout=30)
        assert response.status_code == 200 and "Jane Roe" in response.text
    _submit(stack, session, assignment_a, "after@example.com")
    _wait_until_parsed(postgres_server, stack, "after@example.com")
    assert web.popen.poll() is None and worker.popen.poll() is None  # neither was restarted


def _submit(stack, session, assignment, email):
    page = stack.submit_candidate(
        session, assignment=assignment, email=email, resume=("cv.pdf", RESUME.read_bytes())
    )
    assert "Outcome: New" in page.text


def _wait_until_parsed(server, stack, email):
    sql = (
        f"SELECT r.status FROM {Resume._meta.db_table} r"
        f" JOIN {Candidate._meta.db_table} c ON c.id = r.candidate_id WHERE c.email = %s"
    )
    wait_for(
        lambda: server.query(DATABASE, sql, [email]) == [(Resume.Status.PARSED,)],
        f"the resume of {email} to be parsed", logs=stack.logs,
    )  # fmt: skip
