"""`make load`: Locust against gunicorn and a real Celery worker on 127.0.0.1, then a count, in the
database, of what the clients were told had been saved.

    .venv/bin/python -m tests.load.run [--users 120] [--minutes 5] [--spawn-rate 10] [--candidates N]

1. A database of its own (recruitment_load, on the server of DATABASE_URL), dropped and created
   anew, migrated and seeded: seed_large at a moderate size, 20 agencies of 5 users (the 100 agency
   users; every agency has open jobs) plus 20 recruiters made here.
2. Sessions created server-side, exactly as django.contrib.auth.login() stores them, so that 120
   users need no trip through /accounts/login/ and its per-IP rate limit, which stays as it is.
3. gunicorn bound to 127.0.0.1 and a Celery worker with production settings (DEBUG off), on a Redis
   database of their own (flushed at the start); then it waits for /healthz.
4. Locust headless (tests/load/locustfile.py); then gunicorn stops, the worker drains the queue
   and stops.
5. Counts: submissions and messages in the database against the clients' tally, resumes read
   against resumes queued, 5xx and unanswered requests from Locust's statistics. Writes
   .run/load/report.md and report.json (logs beside them) and exits 1 when a check fails.

Every process started here runs in a process group of its own and is stopped, Ctrl-C or not.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

from devtools import devstack
from tests.stores import (
    app_environment,
    reset_database,
    reset_redis,
    signed_in_session,
    with_database,
    with_devtools,
)

PROJECT_DIR, VENV_BIN = devstack.PROJECT_DIR, devstack.VENV_BIN
OUT_DIR = PROJECT_DIR / ".run" / "load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
AGENCIES, USERS_PER_AGENCY, RECRUITERS = 20, 5, 20
RECRUITER_EMAIL = "load.recruiter{:02d}@northwind.bench.example"
HEALTH_TIMEOUT = 90  # seconds for gunicorn and the worker to answer /healthz
STOP_GRACE = 30  # seconds between SIGTERM and SIGKILL (gunicorn's graceful timeout is 30 s)
# Longer than a client's longest pause between two requests (think time up to 6 s): with gunicorn's
# default of 2 s, a connection reused after a pause races the server closing it, and the request
# is reset unanswered. A proxy in front of gthread workers needs the same (its idle timeout
# shorter than this); the sync workers of docker-compose.yml keep no connection alive at all.
KEEP_ALIVE = 30
# Users finish the request they are in when the time is up, so that no write is cut off midway.
LOCUST_STOP_TIMEOUT = 60


def log(message: str) -> None:
    print(f"[load {datetime.now():%H:%M:%S}] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make load ARGS=", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--users", type=int, default=120, help="5 agency users to 1 recruiter")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--candidates", type=int, default=100_000, help="seeded before the run")
    parser.add_argument("--database", default="recruitment_load", help="dropped and created anew")
    parser.add_argument("--redis-db", type=int, default=12, help="flushed at the start; not 0")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--drain-timeout", type=int, default=300, help="seconds")
    args = parser.parse_args(argv)
    if args.redis_db == 0:
        parser.error("--redis-db 0 is the shared database of `make run`; choose another")
    return args


# Environment ----------------------------------------------------------------------------------


def load_environment(args, port: int) -> dict[str, str]:
    return {
        **app_environment("load", database=args.database, redis_db=args.redis_db, out_dir=OUT_DIR),
        # The clients play the TLS proxy (X-Forwarded-Proto: https), so the public address is https.
        "SITE_URL": f"https://127.0.0.1:{port}",
        "STATIC_ROOT": str(OUT_DIR / "static"),
        "DJANGO_SETTINGS_MODULE": "recruitment.settings",
    }


def manage(*arguments: str, env: dict[str, str] | None = None) -> None:
    command = [str(VENV_BIN / "python"), "manage.py", *arguments]
    if subprocess.run(command, cwd=PROJECT_DIR, env=env).returncode != 0:
        sys.exit(f"load: failed: manage.py {' '.join(arguments)}")


def seed(candidates: int) -> None:
    log("Migrating…")
    manage("migrate", "--noinput", "--verbosity", "0")
    log(f"Seeding {candidates:,} candidates, {AGENCIES} agencies of {USERS_PER_AGENCY} users…")
    manage("seed_large", f"--candidates={candidates}", f"--agencies={AGENCIES}",
           f"--agency-users={USERS_PER_AGENCY}", "--jobs=200", "--threads=2000",
           f"--messages={candidates}", env=with_devtools(dict(os.environ)))  # fmt: skip
    log("collectstatic (DEBUG off serves the hashed files)…")
    manage("collectstatic", "--noinput", "--verbosity", "0")


# Users and sessions (Django in this process, on the load's database) ---------------------------


def prepare_sessions() -> dict:
    """Signed-in sessions for the agency users (agencies taking turns) and the load's recruiters."""
    from django.conf import settings

    agency_users = agency_users_in_turns()
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "agency": [account(user) for user in agency_users],
        "recruiter": [account(user) for user in load_recruiters()],
    }


def agency_users_in_turns() -> list:
    from candidates import selectors
    from devtools.management.commands.seed_large import DOMAIN
    from recruitment.models import User

    by_agency: dict[int, list] = {}
    users = User.objects.filter(membership__agency__website__endswith=DOMAIN, is_active=True)
    for user in users.select_related("membership").order_by("pk"):
        by_agency.setdefault(user.membership.agency_id, []).append(user)
    for members in by_agency.values():
        if not selectors.open_assignments(user=members[0]).exists():
            sys.exit(f"load: the seeded agency of {members[0].email} has no open job to submit to")
    return [user for turn in zip(*by_agency.values(), strict=True) for user in turn]


def load_recruiters() -> list:
    from django.contrib.auth.hashers import make_password

    from recruitment.models import Role, User

    return [
        User.objects.get_or_create(
            email=RECRUITER_EMAIL.format(n),
            defaults={
                "role": Role.RECRUITER,
                "first_name": "Load",
                "last_name": f"Recruiter {n}",
                "country": "DE",
                "password": make_password(None),
            },
        )[0]  # fmt: skip
        for n in range(1, RECRUITERS + 1)
    ]


def account(user) -> dict:
    return {"email": user.email, "session": signed_in_session(user)}


# Processes ------------------------------------------------------------------------------------


class Processes:
    """Child processes, each in a session (and so a process group) of its own: the terminal's
    Ctrl-C reaches this runner only, which stops them in order."""

    def __init__(self):
        self.running: dict[str, subprocess.Popen] = {}
        self.cpu_seconds: dict[str, float] = {}  # of each stopped process with its descendants

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        with (OUT_DIR / f"{name}.log").open("w") as output:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)  # fmt: skip
        self.running[name] = process
        return process

    def check_alive(self, *names: str) -> None:
        for name in names:
            if (process := self.running[name]).poll() is not None:
                raise RuntimeError(
                    f"{name} exited with status {process.returncode}; see {name}.log"
                )

    def stop(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is None:
            return
        before = children_cpu_seconds()
        self.signal(process, signal.SIGTERM)
        try:
            process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.signal(process, signal.SIGKILL)
            process.wait()
        self.cpu_seconds[name] = children_cpu_seconds() - before

    def stop_all(self) -> None:
        for name in list(reversed(self.running)):
            self.stop(name)

    @staticmethod
    def signal(process: subprocess.Popen, signum: int) -> None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signum)


def children_cpu_seconds() -> float:
    """CPU time of the child processes waited for so far, each with its own waited-for descendants
    (gunicorn's workers; Celery's pool and the resume parser's sandboxes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy since boot, all cores added up (/proc/stat)."""
    # user nice system idle iowait irq softirq steal (guest time is counted in user already)
    ticks = [int(n) for n in Path("/proc/stat").read_text().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def start_server(processes: Processes, args, port: int) -> None:
    processes.start("celery", [str(VENV_BIN / "celery"), "-A", "recruitment", "worker", "-l", "info",
                               "--concurrency", "2", "--hostname", "load@%h"])  # fmt: skip
    (OUT_DIR / "access.log").unlink(missing_ok=True)  # gunicorn appends to it
    # --no-control-socket: every gunicorn on the machine would share ~/.gunicorn/gunicorn.ctl.
    processes.start("gunicorn", [
        str(VENV_BIN / "gunicorn"), "recruitment.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads), "--keep-alive", str(KEEP_ALIVE),
        "--access-logfile", str(OUT_DIR / "access.log"), "--no-control-socket",
    ])  # fmt: skip
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while (status := health(port)) != 200:
        processes.check_alive("celery", "gunicorn")
        if time.monotonic() > deadline:
            raise RuntimeError(f"/healthz still answers {status} after {HEALTH_TIMEOUT} s")
        time.sleep(1)


def health(port: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# The run --------------------------------------------------------------------------------------


class DatabaseWatch:
    """Connections (the load's database and the whole server) and deadlocks, sampled during the run."""

    def __init__(self, url: str):
        self.name = urlsplit(url).path.lstrip("/")
        self.connection = psycopg.connect(with_database(url, "postgres"), autocommit=True)
        self.peak_ours = self.peak_server = 0
        self.deadlocks_at_start = self.deadlocks()

    def sample(self) -> None:
        ours, server = self.connection.execute(
            "SELECT count(*) FILTER (WHERE datname = %s), count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [self.name],
        ).fetchone()
        self.peak_ours, self.peak_server = max(self.peak_ours, ours), max(self.peak_server, server)

    def deadlocks(self) -> int:
        query = "SELECT deadlocks FROM pg_stat_database WHERE datname = %s"
        return self.connection.execute(query, [self.name]).fetchone()[0]

    def summary(self) -> dict:
        return {
            "peak_connections_load_db": self.peak_ours,
            "peak_connections_server": self.peak_server,
            "max_connections": int(self.connection.execute("SHOW max_connections").fetchone()[0]),
            "deadlocks": self.deadlocks() - self.deadlocks_at_start,
        }


def run_locust(processes: Processes, args, port: int, watch: DatabaseWatch) -> float:
    """Run Locust to its end; the machine's busy share of its cores meanwhile."""
    seconds = round(args.minutes * 60)
    locust = processes.start("locust", [
        str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--users", str(args.users),
        "--spawn-rate", str(args.spawn_rate), "--run-time", f"{seconds}s",
        "--host", f"http://127.0.0.1:{port}", "--csv", str(OUT_DIR / "locust"),
        "--stop-timeout", str(LOCUST_STOP_TIMEOUT), "--only-summary",
    ])  # fmt: skip
    started, busy_before, cpu_before = time.monotonic(), busy_cpu_seconds(), children_cpu_seconds()
    last_said = 0.0
    while locust.poll() is None:
        processes.check_alive("celery", "gunicorn")
        watch.sample()
        elapsed = time.monotonic() - started
        if elapsed - last_said >= 30:
            log(f"Locust: {elapsed / 60:.1f} of {args.minutes:g} min, {watch.peak_ours} DB "
                "connections at most so far")  # fmt: skip
            last_said = elapsed
        time.sleep(2)
    elapsed = time.monotonic() - started
    processes.running.pop("locust")
    processes.cpu_seconds["locust"] = children_cpu_seconds() - cpu_before
    return (busy_cpu_seconds() - busy_before) / elapsed / len(os.sched_getaffinity(0))


def wait_for_drain(redis_url: str, timeout: int) -> float | None:
    """Seconds until the queue and the worker were empty; None if they were not within the timeout."""
    from recruitment.celery import app

    queue = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        inspect = app.control.inspect(timeout=1.0)
        held = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        busy = sum(len(tasks) for replies in held for tasks in (replies or {}).values())
        if queue.llen("celery") == 0 and busy == 0 and all(held):
            return time.monotonic() - started
        time.sleep(2)
    return None


# Counting -------------------------------------------------------------------------------------


def count_writes(results: dict, since: datetime) -> dict:
    """What the database holds from the run, against what the clients were told."""
    from django.db.models import Count

    from candidates.models import Resume, Submission
    from messaging.models import Message

    saved = {
        str(public_id)
        for public_id in Submission.objects.filter(created_at__gte=since).values_list(
            "public_id", flat=True
        )
    }
    told = set(results["submissions"])
    messages = Message.objects.filter(created_at__gte=since)
    resumes = Resume.objects.filter(uploaded_at__gte=since)
    by_status = dict(resumes.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "submissions": {
            "told": len(results["submissions"]),
            "in_database": len(saved),
            "lost": sorted(told - saved),
            "unexpected": sorted(saved - told),
            "refused": results["submissions_refused"],
        },
        "messages": {
            "told": results["messages"],
            "in_database": messages.count(),
            "ids_missing": sorted(
                set(results["message_ids"]) - set(messages.values_list("pk", flat=True))
            ),
            "refused": results["messages_refused"],
        },
        "resumes": {
            "sent": results["resumes_sent"],
            "in_database": sum(by_status.values()),
            "parsed": by_status.get(Resume.Status.PARSED, 0),
            "failed": by_status.get(Resume.Status.FAILED, 0),
            "unread": by_status.get(Resume.Status.QUEUED, 0)
            + by_status.get(Resume.Status.PARSING, 0),
            "failure_reasons": sorted(
                set(
                    resumes.filter(status=Resume.Status.FAILED).values_list(
                        "failure_reason", flat=True
                    )
                )
            ),
        },  # fmt: skip
    }


def checks(report: dict) -> dict[str, tuple[bool, str]]:
    writes, codes = report["writes"], report["status_codes"]
    server_errors = sum(n for code, n in codes.items() if int(code) >= 500)
    submissions, messages, resumes = writes["submissions"], writes["messages"], writes["resumes"]
    return {
        "no 5xx": (server_errors == 0, f"{server_errors} responses with 5xx"),
        "every request answered": (codes.get("0", 0) == 0, f"{codes.get('0', 0)} without an answer (timeout or connection error)"),
        "no failed request": (report["total"]["failures"] == 0, f"{report['total']['failures']} failures in Locust"),
        "no lost or unexpected submission": (
            not submissions["lost"] and not submissions["unexpected"]
            and submissions["told"] == submissions["in_database"],
            f"{submissions['told']} accepted, {submissions['in_database']} in the database",
        ),
        "no lost or unexpected message": (
            messages["told"] == messages["in_database"] and not messages["ids_missing"],
            f"{messages['told']} accepted, {messages['in_database']} in the database",
        ),
        "every resume read": (
            resumes["sent"] == resumes["in_database"] and resumes["unread"] == 0,
            f"{resumes['sent']} sent, {resumes['in_database']} stored, {resumes['parsed']} parsed, "
            f"{resumes['failed']} failed, {resumes['unread']} unread",
        ),
        "queue drained": (report["drain_seconds"] is not None, "after the run" if report["drain_seconds"] is not None else "timed out"),
        "some load": (report["total"]["requests"] > 0 and submissions["told"] > 0 and messages["told"] > 0,
                      f"{report['total']['requests']} requests"),
    }  # fmt: skip


def server_log_findings() -> dict:
    text = (OUT_DIR / "gunicorn.log").read_text(errors="replace")
    return {
        "internal_server_errors": text.count("Internal Server Error"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def machine() -> dict:
    """The benchmark's description of the machine, with the load average at the start."""
    from devtools.bench.report import machine as bench_machine

    return {**bench_machine(), "load_average": os.getloadavg()}


def data_sizes() -> dict:
    from candidates.models import Candidate
    from messaging.models import Message

    return {"candidates": Candidate.objects.count(), "messages": Message.objects.count()}


# Report ---------------------------------------------------------------------------------------


def render_markdown(report: dict) -> str:
    m, run = report["machine"], report["run"]
    lines = [
        "# Load test report",
        "",
        f"Run on {run['date']}: {run['users']} users ({run['agency_users']} agency users, "
        f"{run['recruiters']} recruiters) for {run['minutes']:g} min, started at {run['spawn_rate']:g}/s, "
        f"think time {'-'.join(map(str, run['think_time_s']))} s. gunicorn on 127.0.0.1 with "
        f"{run['workers']} workers × {run['threads']} threads, one Celery worker (concurrency 2), "
        "DEBUG off; the clients play the TLS proxy (X-Forwarded-Proto: https).",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}. Data before the run: {report['data']['candidates']:,} "
        f"candidates, {report['data']['messages']:,} messages.",
        "",
        f"## Result: {'PASS' if report['passed'] else 'FAIL'}",
        "",
        "| check | | detail |",
        "|---|---|---|",
        *(f"| {name} | {'pass' if ok else '**FAIL**'} | {detail} |" for name, (ok, detail) in report["checks"].items()),
        "",
        *writes_section(report["writes"]),
        *endpoints_section(report),
        *server_section(report),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def writes_section(writes: dict) -> list[str]:
    s, m, r = writes["submissions"], writes["messages"], writes["resumes"]
    lines = [
        "## Writes, counted in the database after the queue drained",
        "",
        "| | clients were told it was saved | in the database | refused |",
        "|---|---:|---:|---:|",
        f"| submissions | {s['told']} | {s['in_database']} | {s['refused']} |",
        f"| messages | {m['told']} | {m['in_database']} | {m['refused']} |",
        f"| resumes | {r['sent']} | {r['in_database']} (parsed {r['parsed']}, failed {r['failed']}, unread {r['unread']}) | |",
        "",
    ]  # fmt: skip
    for label, ids in (("Submissions lost", s["lost"]), ("Submissions the clients were not told of", s["unexpected"]),
                       ("Message ids missing", m["ids_missing"])):  # fmt: skip
        if ids:
            lines += [
                f"{label}: {', '.join(map(str, ids[:20]))}{' …' if len(ids) > 20 else ''}",
                "",
            ]
    if r["failure_reasons"]:
        lines += ["Resume failures: " + "; ".join(r["failure_reasons"]), ""]
    return lines


def endpoints_section(report: dict) -> list[str]:
    total = report["total"]
    lines = [
        "## Endpoints",
        "",
        "Response times in ms as the clients saw them (Locust's statistics).",
        "",
        "| method | endpoint | requests | failures | p50 | p95 | p99 | max |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *(f"| {e['method']} | `{e['name']}` | {e['requests']} | {e['failures']} | {e['p50_ms']:.0f} "
          f"| {e['p95_ms']:.0f} | {e['p99_ms']:.0f} | {e['max_ms']:.0f} |" for e in report["endpoints"]),
        f"| | **all** | {total['requests']} | {total['failures']} | {total['p50_ms']:.0f} "
        f"| {total['p95_ms']:.0f} | {total['p99_ms']:.0f} | {total['max_ms']:.0f} |",
        "",
        f"Throughput: {total['rps']:.1f} requests/s. Status codes: "
        + ", ".join(f"{'no answer' if code == '0' else code}: {n}" for code, n in report["status_codes"].items()) + ".",
        "",
    ]  # fmt: skip
    if report["errors"]:
        lines += ["Failures:", "", *(f"- {e['method']} `{e['name']}`: {e['error']} ({e['occurrences']}×)" for e in report["errors"]), ""]  # fmt: skip
    return lines


def server_section(report: dict) -> list[str]:
    db, logs, cpu = report["database"], report["server_log"], report["cpu"]
    drain = report["drain_seconds"]
    return [
        "## Server",
        "",
        f"- PostgreSQL connections at most: {db['peak_connections_load_db']} to the load's database, "
        f"{db['peak_connections_server']} on the whole server (max_connections {db['max_connections']}); "
        f"deadlocks during the run: {db['deadlocks']}.",
        f"- gunicorn log: {logs['internal_server_errors']} internal server errors, "
        f"{logs['worker_timeouts']} worker timeouts, {logs['tracebacks']} tracebacks.",
        f"- Celery queue drained {f'{drain:.0f} s after gunicorn stopped' if drain is not None else 'NOT within the timeout'}.",
        f"- CPU: the machine's {report['machine']['nproc']} cores were {cpu['busy_share_during_locust']:.0%} busy while Locust ran. "
        "CPU seconds used over the whole run: "
        + ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu["seconds"].items())
        + " (each with its children: gunicorn's workers; Celery's pool and resume-parsing sandboxes).",
        f"- Load average (1 min) at the start and the end: {report['machine']['load_average'][0]:.2f}, "
        f"{report['load_average_end']:.2f}.",
        "",
        "Logs, Locust's CSV files and this report: `.run/load/`.",
        "",
    ]  # fmt: skip


# Main -----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))  # run the finally below
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    port = devstack.free_port(8100)
    os.environ.update(load_environment(args, port))
    log(f"Database {args.database} (dropped and created anew), Redis db {args.redis_db} (flushed)")
    reset_database(os.environ["DATABASE_URL"])
    reset_redis(os.environ["REDIS_URL"])
    shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)  # the last run's uploads
    seed(args.candidates)

    import django

    django.setup()
    sessions = prepare_sessions()
    sessions_file, results_file = OUT_DIR / "sessions.json", OUT_DIR / "results.json"
    sessions_file.write_text(json.dumps(sessions))
    results_file.unlink(missing_ok=True)
    os.environ.update({"LOAD_SESSIONS": str(sessions_file), "LOAD_RESULTS": str(results_file)})
    log(
        f"Signed in {len(sessions['agency'])} agency users and {len(sessions['recruiter'])} recruiters"
    )

    processes = Processes()
    watch = DatabaseWatch(os.environ["DATABASE_URL"])
    try:
        log(f"Starting gunicorn on 127.0.0.1:{port} and a Celery worker…")
        start_server(processes, args, port)
        report_machine, data = machine(), data_sizes()
        since = datetime.now(UTC)
        log(f"Locust: {args.users} users for {args.minutes:g} min (log: .run/load/locust.log)…")
        cpu_busy = run_locust(processes, args, port, watch)
        processes.stop("gunicorn")
        log("gunicorn stopped; waiting for the Celery queue to drain…")
        drain = wait_for_drain(os.environ["REDIS_URL"], args.drain_timeout)
        processes.stop("celery")
    finally:
        processes.stop_all()
    if not results_file.exists():
        sys.exit("load: Locust wrote no results; see .run/load/locust.log")
    results = json.loads(results_file.read_text())
    report = {
        "run": {"date": since.isoformat(timespec="seconds"), "users": args.users,
                "agency_users": results["users"].get("agency", 0),
                "recruiters": results["users"].get("recruiter", 0),
                "think_time_s": results["think_time_s"], "minutes": args.minutes,
                "spawn_rate": args.spawn_rate, "workers": args.workers, "threads": args.threads,
                "port": port},
        "machine": report_machine,
        "data": data,
        "writes": count_writes(results, since),
        "endpoints": results["endpoints"],
        "total": results["total"],
        "errors": results["errors"],
        "status_codes": dict(sorted(results["status_codes"].items())),
        "database": watch.summary(),
        "server_log": server_log_findings(),
        "drain_seconds": drain,
        "cpu": {"busy_share_during_locust": cpu_busy, "seconds": processes.cpu_seconds},
        "load_average_end": os.getloadavg()[0],
    }  # fmt: skip
    report["checks"] = checks(report)
    report["passed"] = all(ok for ok, _detail in report["checks"].values())
    markdown = render_markdown(report)
    (OUT_DIR / "report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (OUT_DIR / "report.md").write_text(markdown)
    print(markdown)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as exc:
        sys.exit(f"load: {exc}")
    except KeyboardInterrupt:
        sys.exit("load: interrupted; the processes it started are stopped")
