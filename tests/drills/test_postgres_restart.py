"""Drill: PostgreSQL restarts (fast mode: every session is cut off) under a running web server
and worker, while a user keeps loading pages. Neither process is restarted and no request fails:
CONN_HEALTH_CHECKS replaces the web process's dead connection, a request that finds the server
down waits for it to come back (recruitment.postgres), and the worker goes on with its tasks
(Celery's Django fixup closes the connection around each task)."""

import contextlib
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
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

    with _pages_loaded_meanwhile(stack, session) as answers:
        time.sleep(1)
        postgres_server.restart()
        time.sleep(2)

    print(f"\nrequests across the restart: {answers.total()} ({dict(answers)})")
    assert answers["200"] >= 10 and answers.total() == answers["200"], answers
    _submit(stack, session, assignment_a, "after@example.com")
    _wait_until_parsed(postgres_server, stack, "after@example.com")
    assert web.popen.poll() is None and worker.popen.poll() is None  # neither was restarted


@contextlib.contextmanager
def _pages_loaded_meanwhile(stack, session):
    """A user loading My Candidates again and again, each answer counted by status (or error)."""
    answers, done = Counter(), threading.Event()

    def load():
        while not done.is_set():
            try:
                response = session.get(f"{stack.url}/agency/candidates/", timeout=30)
            except requests.RequestException as exc:
                answers[type(exc).__name__] += 1
                continue
            listed = response.status_code != 200 or "Jane Roe" in response.text
            answers[str(response.status_code) if listed else "200 without the list"] += 1

    user = threading.Thread(target=load)
    user.start()
    try:
        yield answers
    finally:
        done.set()
        user.join(timeout=60)


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
