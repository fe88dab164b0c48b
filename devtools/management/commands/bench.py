"""Benchmarks at the large data size (seed_large): key pages, the duplicate check, resume parsing.

Writes .run/bench/report.md and .run/bench/report.json and prints the Markdown. Pages are rendered
in-process through django.test.Client with DEBUG off (as in production and in the tests), so the
times are the server's own: no network, no proxy, no gunicorn.
"""

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import time
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from agencies.models import Agency, JobAssignment
from candidates import services
from candidates.models import (
    Application,
    Candidate,
    DuplicateRules,
    IdentityClaim,
    Stage,
    Submission,
)
from candidates.parsing import ParseError, parse_resume
from candidates.sandbox import parse_in_subprocess
from devtools import devstack, parser_eval
from devtools.management.commands.seed_large import DOMAIN, bench_recruiter
from messaging.models import Message, Thread
from recruitment.models import Job, Role, User

REPORT_DIR = Path(settings.BASE_DIR) / ".run" / "bench"
BENCH_OWNER = f"bench.owner@northwind.{DOMAIN}"
PAGE_GOAL_MS = 50
SEARCH_GOAL_MS = 100  # inbox full-text search
COMMON_WORD, RARE_WORD = "interview", "kubernetes"  # as seed_large writes them into messages
# The analytics tables are cached for 5 minutes; a dummy cache shows the cost of counting them.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DUPLICATE_CHECK_GOAL = 2  # × a bare SELECT 1
# Claims younger than the duplicate window (183 days by default) still belong to their agency.
RECENT = timedelta(days=150)
INSERT_CLAIM = (  # the statement of candidates.services._insert_claim
    f"INSERT INTO {IdentityClaim._meta.db_table} (kind, value, job_id, candidate_id, claimed_at)"
    " VALUES (%s, %s, NULL, %s, now()) ON CONFLICT DO NOTHING RETURNING id"
)


@dataclass
class Page:
    name: str
    user: User
    url: str
    small_user: User  # the same page where the rows it shows are few
    small_url: str
    goal_ms: int = PAGE_GOAL_MS
    cached: bool = False  # also time one request with the cache bypassed


class Command(BaseCommand):
    help = "Seed the large data set if needed, then measure pages, the duplicate check and resume parsing."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="per page (default 30)")
        parser.add_argument("--runs", type=int, default=200, help="duplicate-check runs")
        parser.add_argument("--candidates", type=int, default=1_000_000, help="for seed_large")

    def handle(self, *args, **options):
        # WhiteNoise warns once per process when collectstatic has not run; it serves nothing here.
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_large", candidates=options["candidates"], stdout=self.stdout)
        load_at_start, started_at = os.getloadavg()[0], timezone.now()
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            self.status("Setting up the bench users and picking the pages' parameters…")
            pages, people, assignment = bench_scene(options["runs"])
            self.status(f"Pages: {options['requests']} requests each, at large and small size…")
            floor = measure_url(logged_in(pages[0].user), "/notifications/", options["requests"])
            page_results = [measure_page(page, options["requests"]) for page in pages]
            self.status(f"Duplicate check: {len(people)} runs…")
            duplicate = measure_duplicate_check(people, assignment)
            plans = slow_query_plans(page_results)
        self.status("Resume parsing…")
        report = {
            "date": started_at.isoformat(timespec="seconds"),
            "machine": machine(),
            "data": data_sizes(),
            "requests_per_page": options["requests"],
            "floor": floor,
            "pages": page_results,
            "duplicate_check": duplicate,
            "resume_parsing": measure_resume_parsing(),
            "slow_query_plans": plans,
            "load_average": [load_at_start, os.getloadavg()[0]],
        }
        report["goals"] = goals(report)
        markdown = render_markdown(report)
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        (REPORT_DIR / "report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
        (REPORT_DIR / "report.md").write_text(markdown)
        self.stdout.write(markdown)

    def status(self, message: str) -> None:
        self.stderr.write(message)


# Scene -------------------------------------------------------------------------------------


def bench_scene(runs: int) -> tuple[list[Page], list[Candidate], JobAssignment]:
    """The pages to measure, the known people to resubmit and the assignment to submit them to.

    The agency side uses the seeded admin and recruiter of the largest agency (and of the smallest,
    for the small size): a bench-made agency user would own no submissions, so "My candidates"
    would measure an empty list.
    """
    recruiter = bench_recruiter()
    owner, _created = User.objects.get_or_create(
        email=BENCH_OWNER,
        defaults={"role": Role.OWNER, "first_name": "Bench", "last_name": "Owner",
                  "password": make_password(None)},
    )  # fmt: skip
    big, small = most_and_least_frequent(Submission, "agency_id")
    common, rare = most_and_least_frequent(Candidate, "last_name")
    busy_job, quiet_job = most_and_least_frequent(Application, "job_id")
    big_admin, big_recruiter = agency_user(big, Role.AGENCY_ADMIN), agency_user(big, Role.AGENCY_RECRUITER)  # fmt: skip
    small_admin, small_recruiter = agency_user(small, Role.AGENCY_ADMIN), agency_user(small, Role.AGENCY_RECRUITER)  # fmt: skip
    small_public_id = Agency.objects.get(pk=small).public_id
    busy_thread, quiet_thread = most_and_least_frequent(Message, "thread_id")
    busy_thread, quiet_thread = (
        Thread.objects.get(pk=pk).public_id for pk in (busy_thread, quiet_thread)
    )
    today = timezone.localdate()
    known = Submission.objects.filter(outcome=Submission.Outcome.DUPLICATE, last_name=common)
    common_person = known.order_by("pk").first().candidate.public_id
    rarely_named = Candidate.objects.filter(last_name=rare).order_by("pk").first()
    rare_person, rare_first = rarely_named.public_id, rarely_named.first_name
    phone = national_phone()
    pages = [
        Page("Recruiter: job list", recruiter, "/jobs/", recruiter, f"/jobs/?q={Job.objects.get(pk=quiet_job).ref}"),
        Page("People: no filter (small: today's)", recruiter, "/people/", recruiter, f"/people/?submitted_from={today}"),
        # A common name is matched on the joined candidate, a rare one through its people's ids.
        Page("People: by a common name (small: on the quietest job)", recruiter, f"/people/?q={common}", recruiter,
             f"/people/?q={common}&job={quiet_job}"),
        Page("People: by the rarest name (small: with a first name)", recruiter, f"/people/?q={rare}", recruiter,
             f"/people/?q={rare_first}+{rare}"),
        Page("People: by email (exact)", recruiter, f"/people/?email={email_of(big)}", recruiter, f"/people/?email={email_of(small)}"),
        Page("People: by phone (typed nationally; its last 4 digits)", recruiter, f"/people/?phone={phone}",
             recruiter, f"/people/?phone={phone[-4:]}"),
        Page("People: by job", recruiter, f"/people/?job={busy_job}", recruiter, f"/people/?job={quiet_job}"),
        Page("People: by agency + stage", recruiter, f"/people/?agency={big}&stage=interview", recruiter, f"/people/?agency={small}&stage=interview"),
        Page("Candidate page", recruiter, f"/candidates/{common_person}/", recruiter, f"/candidates/{rare_person}/"),
        Page("Candidate page: possible duplicates (loaded after it)", recruiter, f"/candidates/{common_person}/similar/",
             recruiter, f"/candidates/{rare_person}/similar/"),
        Page("Agency: my candidates", big_recruiter, "/agency/candidates/", small_recruiter, "/agency/candidates/"),
        Page("Agency: pool", big_admin, "/agency/pool/", small_admin, "/agency/pool/"),
        Page("Agency: pool, ?q=", big_admin, f"/agency/pool/?q={common}", small_admin, f"/agency/pool/?q={common}"),
        Page("Agency: pool, ?q= a misspelt name (no match)", big_admin, f"/agency/pool/?q={common}q", small_admin,
             f"/agency/pool/?q={common}q"),
        Page("Agency: submission detail", big_recruiter, f"/agency/submissions/{submission_of(big_recruiter)}/",
             small_recruiter, f"/agency/submissions/{submission_of(small_recruiter)}/"),
        Page("Inbox", recruiter, "/inbox/", recruiter, f"/inbox/?agency={small}"),
        Page("Inbox: search, common word", recruiter, f"/inbox/?q={COMMON_WORD}", recruiter,
             f"/inbox/?q={COMMON_WORD}&agency={small}", SEARCH_GOAL_MS),
        Page("Inbox: search, rare word", recruiter, f"/inbox/?q={RARE_WORD}", recruiter,
             f"/inbox/?q={RARE_WORD}&agency={agency_mentioning(RARE_WORD)}", SEARCH_GOAL_MS),
        Page("Inbox: unread", recruiter, "/inbox/?unread=on", recruiter, f"/inbox/?unread=on&agency={small}"),
        Page("Agency: inbox", big_admin, "/agency/inbox/", small_admin, "/agency/inbox/"),
        Page("Agency: inbox search", big_admin, f"/agency/inbox/?q={COMMON_WORD}", small_admin,
             f"/agency/inbox/?q={COMMON_WORD}", SEARCH_GOAL_MS),
        Page("Thread page (newest 50)", recruiter, f"/threads/{busy_thread}/", recruiter, f"/threads/{quiet_thread}/"),
        Page("Analytics: agencies", recruiter, "/analytics/", recruiter,
             f"/analytics/?period_from={today}&period_to={today}", cached=True),
        Page("Analytics: jobs", recruiter, "/analytics/jobs/", recruiter, f"/analytics/jobs/?agency={small_public_id}",
             cached=True),
        Page("Agency: analytics", big_admin, "/agency/analytics/", small_admin, "/agency/analytics/", cached=True),
        Page("Agency: users", big_admin, "/agency/users/", small_admin, "/agency/users/"),
        Page("Users (owner)", owner, "/users/", owner, f"/users/?agency={small_public_id}"),
        Page("Audit log (owner)", owner, "/audit/", owner, "/audit/?action=job.created"),
    ]  # fmt: skip
    DuplicateRules.current()  # created once here, not inside every rolled-back run
    people = list(
        Candidate.objects.filter(
            created_at__gte=timezone.now() - RECENT,
            applications__stage__in=[Stage.LEAD, Stage.NEW],
        )
        .exclude(agency_id=big)
        .order_by("?")[:runs]
    )
    assignment = JobAssignment.objects.filter(
        agency_id=big, withdrawn_at__isnull=True, job__status=Job.Status.OPEN
    ).first()
    return pages, people, assignment


def most_and_least_frequent(model, field: str) -> tuple:
    counted = list(model.objects.values_list(field).annotate(n=Count("pk")).order_by("-n", field))
    return counted[0][0], counted[-1][0]


def agency_user(agency_id: int, role: str) -> User:
    return User.objects.filter(membership__agency_id=agency_id, role=role).order_by("pk").first()


def email_of(agency_id: int) -> str:
    return Candidate.objects.filter(agency_id=agency_id).order_by("pk").first().email


def agency_mentioning(word: str) -> int:
    """An agency with a message containing `word`: a search of its threads finds a few rows."""
    found = Message.objects.filter(search=SearchQuery(word, config="simple")).order_by("pk")
    return found.values_list("agency_id", flat=True).first()


def national_phone() -> str:
    """A British candidate's number as a recruiter would type it, e.g. "07400 123456"."""
    british = Candidate.objects.filter(phone__startswith="+44").order_by("pk")
    e164 = british.values_list("phone", flat=True).first()
    return f"0{e164[3:7]}%20{e164[7:]}"


def submission_of(user: User):
    submissions = Submission.objects.filter(submitted_by=user, outcome=Submission.Outcome.NEW)
    return submissions.order_by("pk").first().public_id


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
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {result['slowest_sql']}")
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
    # As candidates.services._take_over_expired_claim reads the claim that stopped the INSERT.
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
            submission = services.submission_create(
                actor=actor, assignment=assignment, first_name=person.first_name,
                last_name=person.last_name, email=person.email, phone=person.phone,
            )  # fmt: skip
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
    rows = []
    for path in paths:
        data = path.read_bytes()
        pdftotext = ["pdftotext", "-q", str(path), "-"]
        baseline = seconds_of(subprocess.run, pdftotext, capture_output=True)
        sandbox = seconds_of(parse_in_subprocess, data, path.name)
        in_process = seconds_of(parse_resume, data, path.name)
        rows.append({
            "file": path.name,
            "pdftotext_ms": baseline * 1000,
            "sandbox_ms": sandbox * 1000,
            "in_process_ms": in_process * 1000,
            "sandbox_ratio": sandbox / baseline,
            "in_process_ratio": in_process / baseline,
        })  # fmt: skip
    evaluation = parser_eval.evaluate(directory)
    return {
        "files": len(rows),
        "rows": rows,
        "accuracy": evaluation["accuracy"],
        "counts": evaluation["counts"],
    }


def seconds_of(function, *args, **kwargs) -> float:
    """Wall time of the call; a resume the parser refuses still took that long."""
    started = time.perf_counter()
    with contextlib.suppress(ParseError):
        function(*args, **kwargs)
    return time.perf_counter() - started


# Context and goals -------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(int(meminfo.split("MemTotal:")[1].split()[0]) / 2**20, 1),
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown",
        ),
        "postgresql": postgres,
        "shared_buffers": shared_buffers,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def data_sizes() -> dict:
    models = (
        Candidate,
        Application,
        Submission,
        IdentityClaim,
        Job,
        JobAssignment,
        Thread,
        Message,
    )
    return {str(model._meta.verbose_name_plural): model.objects.count() for model in models}


def goals(report: dict) -> dict:
    pages = report["pages"]
    slow = [name for name, _result in slow_pages(pages)]
    slow_search = [name for name in slow if name.split(" (")[0] in searches(pages)]
    slow = [name for name in slow if name not in slow_search]
    uneven = [
        page["name"]
        for page in pages
        if len({page[size][bound] for size in ("large", "small") for bound in ("queries_min", "queries_max")}) > 1
    ]  # fmt: skip
    hot = report["duplicate_check"]["hot"]
    check_ratio = (
        max(hot[name]["p50_ms"] for name in ("insert_claim", "select_claim"))
        / (hot["select_1"]["p50_ms"])
    )
    return {
        "pages_p95": {"passed": not slow, "misses": slow},
        "search_p95": {"passed": not slow_search, "misses": slow_search},
        "constant_queries": {"passed": not uneven, "misses": uneven},
        "duplicate_check": {"passed": check_ratio < DUPLICATE_CHECK_GOAL, "ratio": check_ratio},
    }


# Markdown ----------------------------------------------------------------------------------


def searches(pages: list[dict]) -> set[str]:
    return {page["name"] for page in pages if page["goal_ms"] == SEARCH_GOAL_MS}


def render_markdown(report: dict) -> str:
    return "\n".join(
        [
            "# Benchmark report",
            "",
            *machine_section(report),
            *goals_section(report),
            *pages_section(report),
            *duplicate_section(report["duplicate_check"]),
            *resume_section(report["resume_parsing"]),
            *explain_section(report),
        ]
    )


def verdict(passed: bool) -> str:
    return "**PASS**" if passed else "**FAIL**"


def machine_section(report: dict) -> list[str]:
    m = report["machine"]
    sizes = ", ".join(f"{count:,} {name}" for name, count in report["data"].items())
    return [
        f"Run on {report['date']}: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, "
        f"PostgreSQL {m['postgresql']} (shared_buffers {m['shared_buffers']}), Python {m['python']}, "
        f"Django {m['django']}. Load average (1 min) at the start and the end: "
        f"{report['load_average'][0]:.2f} and {report['load_average'][1]:.2f}; anything else "
        "running on the machine shows up in the times.",
        "",
        f"Data: {sizes}.",
        "",
    ]


def goals_section(report: dict) -> list[str]:
    g = report["goals"]
    return [
        "## Goals",
        "",
        "| goal | result |",
        "|---|---|",
        f"| every page p95 < {PAGE_GOAL_MS} ms (at both sizes; inbox searches apart) | {verdict(g['pages_p95']['passed'])}{misses(g['pages_p95'])} |",
        f"| inbox search p95 < {SEARCH_GOAL_MS} ms (at both sizes) | {verdict(g['search_p95']['passed'])}{misses(g['search_p95'])} |",
        f"| query counts constant (every run, large = small) | {verdict(g['constant_queries']['passed'])}{misses(g['constant_queries'])} |",
        f"| duplicate check < {DUPLICATE_CHECK_GOAL}× SELECT 1 (hot p50, the slower of the INSERT and the SELECT) | {verdict(g['duplicate_check']['passed'])} ({g['duplicate_check']['ratio']:.2f}×) |",
        "",
    ]  # fmt: skip


def misses(goal: dict) -> str:
    return "; misses: " + ", ".join(goal["misses"]) if goal["misses"] else ""


def pages_section(report: dict) -> list[str]:
    floor = report["floor"]
    lines = [
        "## Pages",
        "",
        f"Server time of `client.get()` in-process, DEBUG off, {len(report['pages'])} pages × "
        f"{report['requests_per_page']} requests after one warm-up; the recruiter is a bench user, the agency pages use the "
        "seeded admin and recruiter of the largest agency. The floor is `/notifications/` of a "
        "user with none (session, user, the layout's unread counts, an empty list): "
        f"p50 {floor['p50_ms']:.1f} ms, p95 {floor['p95_ms']:.1f} ms, {floor['queries_max']} queries.",
        "",
        "Query counts: min–max over the runs. *Small* is the same page where it shows a few rows "
        "(the smallest agency's users; the quietest job; a name with a first name added), so equal "
        "counts show that the number of queries does not grow with the data.",
        "",
        "Analytics figures are cached for 5 minutes, so their rows are the cached page; *cold ms* "
        "is one request with the cache bypassed (a dummy cache), the cost of counting the figures.",
        "",
        "| page | p50 ms | p95 ms | × floor p50 / p95 | queries | queries small | small p50 ms | small p95 ms | slowest SQL ms | cold ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for page in report["pages"]:
        large, small = page["large"], page["small"]
        cold = f"{page['cold_ms']:.0f}" if "cold_ms" in page else "–"
        lines.append(
            f"| {page['name']} <br>`{large['url']}` | {large['p50_ms']:.1f} | {large['p95_ms']:.1f} "
            f"| {large['p50_ms'] / floor['p50_ms']:.1f} / {large['p95_ms'] / floor['p95_ms']:.1f} "
            f"| {query_range(large)} | {query_range(small)} | {small['p50_ms']:.1f} | {small['p95_ms']:.1f} "
            f"| {large['slowest_sql_ms']:.0f} | {cold} |"
        )  # fmt: skip
    return [*lines, ""]


def query_range(result: dict) -> str:
    low, high = result["queries_min"], result["queries_max"]
    return str(low) if low == high else f"{low}–{high}"


def duplicate_section(d: dict) -> list[str]:
    full = d["submission_create"]
    names = {
        "select_1": "bare `SELECT 1`",
        "insert_claim": "`INSERT … ON CONFLICT DO NOTHING RETURNING id`, email already claimed",
        "select_claim": "`SELECT` of the existing claim",
    }
    return [
        "## Duplicate check",
        "",
        f"{d['runs']} people presented by another agency less than 150 days ago (their claim "
        "holds); each person's statements run in one transaction that is rolled back, on one "
        "connection. *Cold* is the first pass (first touch of their index and heap pages), *hot* "
        "a second pass over the same people.",
        "",
        "| statement | cold p50 / p95 ms | × SELECT 1 | hot p50 / p95 ms | × SELECT 1 |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {timed_ratio(d['cold'], name)} | {timed_ratio(d['hot'], name)} |" for name, label in names.items()),
        "",
        f"Whole `candidates.services.submission_create` for a known person: p50 {full['p50_ms']:.1f} ms, "
        f"p95 {full['p95_ms']:.1f} ms, {query_range(full)} queries, outcomes: {', '.join(f'{n} {name}' for name, n in full['outcomes'].items())}. "
        f"Each run registered {'/'.join(map(str, full['on_commit_callbacks']))} on-commit "
        "callback(s) (the duplicate-scan task); Celery tasks are enqueued on commit only, so the "
        "rollback discarded them and nothing was enqueued (nor an audit row kept).",
        "",
    ]  # fmt: skip


def timed_ratio(timings: dict, name: str) -> str:
    r, base = timings[name], timings["select_1"]
    return (
        f"{r['p50_ms']:.3f} / {r['p95_ms']:.3f} | "
        f"{r['p50_ms'] / base['p50_ms']:.2f} / {r['p95_ms'] / base['p95_ms']:.2f}"
    )


def resume_section(r: dict) -> list[str]:
    if "skipped" in r:
        return ["## Resume parsing", "", f"Skipped: {r['skipped']}.", ""]
    rows = r["rows"]
    baseline = [row["pdftotext_ms"] for row in rows]
    parsers = {
        "`parse_in_subprocess` (sandbox)": "sandbox",
        "`parse_resume` (in process)": "in_process",
    }
    accuracy = ", ".join(
        f"{field} {share:.0%} (of {r['counts'][field]})" for field, share in r["accuracy"].items()
    )
    return [
        "## Resume parsing",
        "",
        f"{r['files']} sample PDFs; each time is a ratio to poppler's `pdftotext` on the same file in "
        f"the same run (pdftotext: p50 {statistics.median(baseline):.0f} ms, max {max(baseline):.0f} ms).",
        "",
        "| parser | p50 ms | max ms | p50 × pdftotext | max × pdftotext |",
        "|---|---:|---:|---:|---:|",
        *(parser_row(name, rows, key) for name, key in parsers.items()),
        "",
        f"Field accuracy (devtools.parser_eval): {accuracy}.",
        "",
        "<details><summary>Each resume (ms)</summary>",
        "",
        "| file | pdftotext | sandbox | in process |",
        "|---|---:|---:|---:|",
        *(
            f"| {row['file']} | {row['pdftotext_ms']:.0f} | {row['sandbox_ms']:.0f} | {row['in_process_ms']:.0f} |"
            for row in rows
        ),
        "",
        "</details>",
        "",
    ]  # fmt: skip


def parser_row(name: str, rows: list[dict], key: str) -> str:
    """p50 and max of one parser's times, in ms and as ratios to pdftotext's."""
    ms = [row[f"{key}_ms"] for row in rows]
    ratios = [row[f"{key}_ratio"] for row in rows]
    return (
        f"| {name} | {statistics.median(ms):.0f} | {max(ms):.0f} "
        f"| {statistics.median(ratios):.1f} | {max(ratios):.1f} |"
    )


def explain_section(report: dict) -> list[str]:
    if not report["slow_query_plans"]:
        return []
    lines = ["## Slowest query of each page that misses the goal", ""]
    for name, slowest in report["slow_query_plans"].items():
        lines += [f"### {name}", "", "```sql", slowest["sql"], "```", "", "```", *slowest["plan"], "```", ""]  # fmt: skip
    return lines
