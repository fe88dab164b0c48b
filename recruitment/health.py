"""Liveness of the services the app needs, for /healthz and load balancers."""

import time

import redis
from django.conf import settings
from django.db import connection

from recruitment.celery import app as celery_app


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported with its reason
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "reachable"


def _redis() -> str:
    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    return "reachable"


def _celery_worker() -> str:
    replies = celery_app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker answered within 1 s")
    return f"{len(replies)} worker(s) answered"


def check_all() -> dict:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    checks["celery"] = (
        _timed(_celery_worker)
        if checks["redis"]["ok"]
        else {"ok": False, "detail": "skipped: Redis is down", "ms": 0.0}
    )
    return checks
