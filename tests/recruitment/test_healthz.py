import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from recruitment.celery import app


def test_reports_503_and_names_the_missing_worker(client, db):
    response = client.get(reverse("recruitment:healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert not body["checks"]["celery"]["ok"] and "no worker" in body["checks"]["celery"]["detail"]


def test_reports_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get(reverse("recruitment:healthz")).json()
    assert not body["checks"]["redis"]["ok"] and not body["checks"]["celery"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_reports_200_with_database_redis_and_a_real_worker(client):
    app.conf.task_always_eager = False  # a real worker, on the broker
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            response = client.get(reverse("recruitment:healthz"))
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"


def test_needs_no_login(client, db):
    assert client.get(reverse("recruitment:healthz")).status_code in (200, 503)
