"""The measurements: server time and query count of pages, the duplicate check's statements and
service, and resume parsing against poppler's pdftotext (sandboxed and in process), with OCR."""

import contextlib
import re
import shutil
import statistics
import subprocess
import time

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from agencies.models import JobAssignment
from candidates import duplicates
from candidates.models import Candidate, IdentityClaim
from candidates.parsing import ParseError, parse_resume
from candidates.sandbox import parse_in_subprocess
from devtools import devstack, parser_eval, scans
from devtools.bench.scene import Page, agency_user
from recruitment.models import Role, User

# The analytics tables are cached for 5 minutes; a dummy cache shows the cost of counting them.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
ESTIMATE = re.compile(r"^EXPLAIN (\([^)]*\) )?", re.IGNORECASE)
INSERT_CLAIM = (  # the statement of candidates.duplicates.claims._insert_claim
    f"INSERT INTO {IdentityClaim._meta.db_table} (kind, value, job_id, candidate_id, claimed_at)"
    " VALUES (%s, %s, NULL, %s, now()) ON CONFLICT DO NOTHING RETURNING id"
)


# Pages -------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure_page(page: Page, requests: int) -> dict:
    result = {
        "name": page.name,
        "goal_ms": page.goal_ms,
        "large": measure_url(logged_in(page.user), page.url, requests),
        "small": measure_url(logged_in(page.small_user), page.small_url, requests),
    }
    if page.cached:
        with override_settings(CACHES=NO_CACHE):
            client = logged_in(page.user)
            started = time.perf_counter()
            client.get(page.url)
            result["cold_ms"] = (time.perf_counter() - started) * 1000
    return result


def measure_url(client: Client, url: str, requests: int) -> dict:
    """Server time and query count of `requests` GETs, after one warm-up request."""
    client.get(url)
    seconds, counts = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}")
        counts.append(len(queries))
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
    return {
        "url": url,
        **milliseconds(seconds),
        "queries_min": min(counts),
        "queries_max": max(counts),
        "slowest_sql_ms": float(slowest["time"]) * 1000,
        "slowest_sql": slowest["sql"],
    }


def milliseconds(seconds: list[float]) -> dict:
    return {
        "p50_ms": statistics.median(seconds) * 1000,
        "p95_ms": statistics.quantiles(seconds, n=20, method="inclusive")[-1] * 1000,
        "max_ms": max(seconds) * 1000,
    }


def slow_pages(page_results: list[dict]) -> list[tuple[str, dict]]:
    """(name, result) of every measured URL, at either size, whose p95 misses the goal."""
    return [
        (page["name"] + ("" if size == "large" else " (small)"), page[size])
        for page in page_results
        for size in ("large", "small")
        if page[size]["p95_ms"] >= page["goal_ms"]
    ]


def slow_query_plans(page_results: list[dict]) -> dict[str, dict]:
    """The slowest query of each slow page with its EXPLAIN ANALYZE, by page name."""
    plans = {}
    for name, result in slow_pages(page_results):
        # A planner estimate (recruitment.db.planner_estimate) is an EXPLAIN: analyze its query.
        query = ESTIMATE.sub("", result["slowest_sql"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
            plan = [row[0] for row in cursor.fetchall()]
        plans[name] = {"sql": result["slowest_sql"], "plan": plan}
    return plans


# Duplicate check ---------------------------------------------------------------------------


def measure_duplicate_check(people: list[Candidate], assignment: JobAssignment) -> dict:
    """The claim statements against a bare SELECT 1, twice over the same people: "cold" is the
    first touch of their index and heap pages, "hot" the steady state of a server whose
    shared_buffers holds the claims."""
    return {
        "runs": len(people),
        "cold": time_claim_statements(people),
        "hot": time_claim_statements(people),
        "submission_create": measure_submission_create(people, assignment),
    }


def time_claim_statements(people: list[Candidate]) -> dict:
    """Each person's statements in one transaction, rolled back."""
    statements = {"select_1": [], "insert_claim": [], "select_claim": []}
    for person in people:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # opens the transaction, so no timing includes the BEGIN
            for name, (sql, params) in claim_statements(person).items():
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                statements[name].append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return {name: milliseconds(seconds) for name, seconds in statements.items()}


def claim_statements(person: Candidate) -> dict[str, tuple[str, list]]:
    # As candidates.duplicates.claims._take_over_expired_claim reads the claim that stopped the INSERT.
    existing = IdentityClaim.objects.filter(
        kind=IdentityClaim.Kind.EMAIL, value=person.email, job=None
    )
    return {
        "select_1": ("SELECT 1", []),
        "insert_claim": (INSERT_CLAIM, [IdentityClaim.Kind.EMAIL, person.email, person.pk]),
        "select_claim": existing.query.sql_with_params(),
    }


def measure_submission_create(people: list[Candidate], assignment: JobAssignment) -> dict:
    """The whole service for people another agency already owns, each run rolled back."""
    actor = agency_user(assignment.agency_id, Role.AGENCY_RECRUITER)
    seconds, queries, outcomes, callbacks = [], [], {}, set()
    for person in people:
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            started = time.perf_counter()
            submission = duplicates.submission_create(
                actor=actor,
                assignment=assignment,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                phone=person.phone,
            )
            seconds.append(time.perf_counter() - started)
            callbacks.add(len(connection.run_on_commit))
            transaction.set_rollback(True)
        queries.append(len(captured))
        outcomes[str(submission.outcome)] = outcomes.get(str(submission.outcome), 0) + 1
    return {
        **milliseconds(seconds),
        "queries_min": min(queries),
        "queries_max": max(queries),
        "outcomes": outcomes,
        "on_commit_callbacks": sorted(callbacks),
    }


# Resume parsing ----------------------------------------------------------------------------


def measure_resume_parsing() -> dict:
    directory = parser_eval.resume_samples_dir()
    paths = sorted(directory.glob("*.pdf"))
    if not paths:
        return {"skipped": f"no sample resumes in {directory}"}
    if not shutil.which("pdftotext"):
        devstack.apt_install("poppler-utils")
    if not shutil.which("pdftotext"):
        raise CommandError("pdftotext is missing and apt-get could not install poppler-utils.")
    # The first call starts this process's sandbox server; every later one reuses it.
    cold_start = seconds_of(parse_in_subprocess, paths[0].read_bytes(), paths[0].name)
    rows = []
    for path in paths:
        data = path.read_bytes()
        pdftotext = ["pdftotext", "-q", str(path), "-"]
        baseline = median_seconds(subprocess.run, pdftotext, capture_output=True)
        sandbox = median_seconds(parse_in_subprocess, data, path.name)
        in_process = median_seconds(parse_resume, data, path.name)
        rows.append(
            {
                "file": path.name,
                "pdftotext_ms": baseline * 1000,
                "sandbox_ms": sandbox * 1000,
                "in_process_ms": in_process * 1000,
                "sandbox_ratio": sandbox / baseline,
                "in_process_ratio": in_process / baseline,
            }
        )
    evaluation = parser_eval.evaluate(directory)
    return {
        "files": len(rows),
        "cold_start_ms": cold_start * 1000,
        "rows": rows,
        "ocr": measure_ocr(paths[0]),
        "accuracy": evaluation["accuracy"],
        "counts": evaluation["counts"],
    }


SCAN_DPI = 200
RUNS = 3


def measure_ocr(path) -> dict:
    """The sandboxed parse of the first page of a sample, scanned at SCAN_DPI (no text layer)."""
    scan = scans.scanned_copy(path.read_bytes(), dpi=SCAN_DPI, last_page=1)
    seconds = [seconds_of(parse_in_subprocess, scan, "scan.pdf") for _ in range(RUNS)]
    try:
        name = parse_in_subprocess(scan, "scan.pdf").full_name
    except ParseError as error:
        name = f"(failed: {error.reason})"
    return {"file": path.name, "dpi": SCAN_DPI, **milliseconds(seconds), "name": name}


def median_seconds(function, *args, **kwargs) -> float:
    return statistics.median(seconds_of(function, *args, **kwargs) for _ in range(RUNS))


def seconds_of(function, *args, **kwargs) -> float:
    """Wall time of the call; a resume the parser refuses still took that long."""
    started = time.perf_counter()
    with contextlib.suppress(ParseError):
        function(*args, **kwargs)
    return time.perf_counter() - started
