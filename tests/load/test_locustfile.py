"""The load test's scenario still fits the app: the locustfile imports, every URL its tasks request
resolves to the view it means, and the runner's verdict fails on a lost write or a 5xx. No Locust
run here: `make load` does that."""

import ast
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.load import run

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
REQUEST_HELPERS = {"page", "fragment", "post"}  # PortalUser's methods that request a template


@pytest.fixture(scope="module")
def endpoints() -> dict[str, str]:
    """ENDPOINTS, from importing the locustfile in a child process: importing Locust patches the
    standard library for gevent, which this process must not get."""
    code = (
        f"import json, runpy; print(json.dumps(runpy.run_path({str(LOCUSTFILE)!r})['ENDPOINTS']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def test_every_endpoint_resolves_to_its_view(endpoints):
    resolved = {template: view_name(template.format(id=uuid.uuid4())) for template in endpoints}
    assert resolved == endpoints


def test_tasks_request_only_listed_endpoints(endpoints):
    calls = [
        node
        for node in ast.walk(ast.parse(LOCUSTFILE.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in REQUEST_HELPERS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    ]
    assert len(calls) > 10
    for call in calls:
        strings = [n for n in ast.walk(call.args[0]) if isinstance(n, ast.Constant)]
        templates = {n.value for n in strings if isinstance(n.value, str)}
        assert templates and templates <= endpoints.keys(), ast.unparse(call)


def passing_report() -> dict:
    return {
        "status_codes": {"200": 90, "302": 10},
        "total": {"requests": 100, "failures": 0},
        "drain_seconds": 3.0,
        "writes": {
            "submissions": {"told": 2, "in_database": 2, "lost": [], "unexpected": []},
            "messages": {"told": 3, "in_database": 3, "ids_missing": []},
            "resumes": {"sent": 1, "in_database": 1, "parsed": 1, "failed": 0, "unread": 0},
        },
    }


def failed_checks(report: dict) -> list[str]:
    return [name for name, (ok, _detail) in run.checks(report).items() if not ok]


def test_verdict_passes_a_clean_run():
    assert failed_checks(passing_report()) == []


def test_verdict_fails_on_a_5xx_and_on_a_request_without_answer():
    report = passing_report()
    report["status_codes"].update({"502": 1, "0": 1})
    assert failed_checks(report) == ["no 5xx", "every request answered"]


def test_verdict_fails_on_a_lost_submission():
    report = passing_report()
    report["writes"]["submissions"].update(in_database=1, lost=["a-public-id"])
    assert failed_checks(report) == ["no lost or unexpected submission"]


def test_verdict_fails_on_a_message_the_clients_were_not_told_of():
    report = passing_report()
    report["writes"]["messages"]["in_database"] = 4
    assert failed_checks(report) == ["no lost or unexpected message"]


def test_verdict_fails_on_a_resume_left_unread():
    report = passing_report()
    report["writes"]["resumes"].update(parsed=0, unread=1)
    assert failed_checks(report) == ["every resume read"]
