"""A GET whose database connection is cut while it runs (PostgreSQL restarting) runs once more on
a new connection (recruitment.middleware.RetryReadAfterLostConnection); a POST is not retried.
tests/drills/test_postgres_restart.py restarts a real server under a running app."""

import pytest
from django.contrib import auth
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from recruitment import selectors, services

pytestmark = pytest.mark.django_db(transaction=True)  # the test cuts its own connection


def _cut_once(real, calls, *, close=True):
    def cut(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            if close:
                connection.connection.close()
            raise OperationalError("terminating connection due to administrator command")
        return real(**kwargs)

    return cut


@pytest.fixture(autouse=True)
def fresh_connection():
    """Whatever a test cut, the flush after it gets a working connection."""
    yield
    connection.close()


@pytest.fixture
def owner_client(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


def test_a_read_cut_off_runs_again(owner_client, job, monkeypatch):
    calls = []
    monkeypatch.setattr(selectors, "job_list", _cut_once(selectors.job_list, calls))
    response = owner_client.get(reverse("recruitment:job-list"))
    assert (response.status_code, len(calls)) == (200, 2)
    assert job.title in response.content.decode()


def test_a_read_cut_off_in_a_middleware_runs_again(owner_client, owner, monkeypatch):
    """Loading the signed-in user (the session, the account checks) may meet the cut too."""
    calls = []
    real = auth.get_user
    monkeypatch.setattr(auth, "get_user", lambda request: _cut_once(real, calls)(request=request))
    response = owner_client.get(reverse("recruitment:job-list"))
    assert (response.status_code, len(calls)) == (200, 2)


def test_another_database_error_is_not_retried(owner_client, monkeypatch):
    calls = []
    monkeypatch.setattr(selectors, "job_list", _cut_once(selectors.job_list, calls, close=False))
    assert owner_client.get(reverse("recruitment:job-list")).status_code == 500
    assert len(calls) == 1


def test_a_write_cut_off_is_not_run_again(owner_client, monkeypatch):
    calls = []
    real = services.notifications_mark_read
    monkeypatch.setattr(services, "notifications_mark_read", _cut_once(real, calls))
    assert owner_client.post(reverse("recruitment:notifications-read-all")).status_code == 500
    assert len(calls) == 1
