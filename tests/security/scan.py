"""`make scan`: the wapiti3 web scanner against the running app, three times (anonymous, as an
agency admin, as a recruiter), then a summary of what it found.

    .venv/bin/python -m tests.security.scan [--crawl-seconds 60] [--attack-seconds 40] [--only agency]

1. wapiti3 in a virtualenv of its own, .run/wapiti/ (never in the project's .venv).
2. A database of its own (recruitment_scan, on the server of DATABASE_URL), dropped and created
   anew, migrated and seeded with the demo data; a Redis database of its own, flushed first.
3. gunicorn on 127.0.0.1 with DEBUG off and the production settings, through
   tests/security/scan_settings.py, whose one change is that cookies go over plain HTTP.
4. Each signed-in scan gets a cookie file holding a session created server-side, exactly as
   django.contrib.auth.login() stores it; sign-out is excluded, and the session is checked before
   and after, so a scan that lost it fails instead of quietly scanning the sign-in page.
5. wapiti's JSON report and log of each scan under .run/scan/, and .run/scan/report.md with the
   findings of each scan by category.

Each scan is bounded: the crawl by --crawl-seconds, each attack module by --attack-seconds.
Only 127.0.0.1 is contacted: the modules that call out (ssrf, xxe, log4shell, ...) are not run,
--endpoint points at a closed local port, and wapiti's crash reports are off.
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from devtools import devstack
from tests.stores import (
    app_environment,
    reset_database,
    reset_redis,
    signed_in_session,
    with_devtools,
)

PROJECT_DIR, VENV_BIN = devstack.PROJECT_DIR, devstack.VENV_BIN
OUT_DIR = PROJECT_DIR / ".run" / "scan"
WAPITI_DIR = PROJECT_DIR / ".run" / "wapiti"
WAPITI = "wapiti3==3.2.3"  # the newest release that runs on Python 3.11; 3.2.4 and later need 3.12
MODULES = [
    "backup", "cookieflags", "crlf", "csp", "csrf", "exec", "file", "htaccess", "http_headers",
    "methods", "permanentxss", "redirect", "sql", "upload", "xss",
]  # fmt: skip
# Not run: ssrf, xxe, log4shell and takeover call wapiti's servers, its DNS or other hosts; nikto,
# wapp, htp, cms and wp_enum download databases; ssl and https_redirect are about TLS, which the
# proxy terminates; brute_login_form would only meet the login rate limit; buster and timesql
# take far longer than the budget; ldap, shellshock, spring4shell and network_device look for
# software this app does not use.
# Payloads that name wapiti's endpoint name the discard port; log4shell's DNS name stays local too.
CLOSED_PORT = "http://127.0.0.1:9/"


@dataclass(frozen=True)
class Scan:
    name: str
    email: str | None  # the demo user it is signed in as; None for anonymous
    start: tuple[str, ...]


SCANS = [
    Scan(
        "anonymous", None, ("/", "/accounts/login/code/", "/accounts/password/reset/", "/healthz")
    ),
    Scan("agency", "amelia@apex.example", ("/agency/",)),
    Scan("recruiter", "recruiter@northwind.example", ("/jobs/",)),
]


def log(message: str) -> None:
    print(f"[scan {datetime.now():%H:%M:%S}] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make scan ARGS=", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--crawl-seconds", type=int, default=60, help="per scan")
    parser.add_argument("--attack-seconds", type=int, default=40, help="per module and scan")
    parser.add_argument("--only", choices=[scan.name for scan in SCANS], action="append")
    parser.add_argument("--database", default="recruitment_scan", help="dropped and created anew")
    parser.add_argument("--redis-db", type=int, default=13, help="flushed at the start; not 0")
    args = parser.parse_args(argv)
    if args.redis_db == 0:
        parser.error("--redis-db 0 is the shared database of `make run`; choose another")
    return args


# Set-up ---------------------------------------------------------------------------------------


def ensure_wapiti() -> Path:
    wapiti = WAPITI_DIR / "bin" / "wapiti"
    marker = WAPITI_DIR / f".installed-{WAPITI}"
    if not marker.exists():
        log(f"Installing {WAPITI} into {WAPITI_DIR.relative_to(PROJECT_DIR)}…")
        run([sys.executable, "-m", "venv", "--clear", str(WAPITI_DIR)])
        run([str(WAPITI_DIR / "bin" / "pip"), "install", "-qq", WAPITI])
        marker.touch()
    return wapiti


def run(command: list[str], env: dict | None = None) -> None:
    if subprocess.run(command, cwd=PROJECT_DIR, env=env).returncode != 0:
        sys.exit(f"scan: failed: {' '.join(command)}")


def scan_environment(args, port: int) -> dict[str, str]:
    return {
        **os.environ,
        **app_environment("scan", database=args.database, redis_db=args.redis_db, out_dir=OUT_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.security.scan_settings",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
    }


def reset_stores(env: dict) -> None:
    reset_database(env["DATABASE_URL"])
    reset_redis(env["REDIS_URL"])


def prepare_app(env: dict) -> None:
    manage = [str(VENV_BIN / "python"), "manage.py"]
    log("Migrating, seeding the demo data, collecting static files…")
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], env)
    run([*manage, "seed_demo"], with_devtools(env))
    run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env)


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [str(VENV_BIN / "gunicorn"), "recruitment.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--timeout", "60", "--access-logfile", "-"]  # fmt: skip
    with open(OUT_DIR / "gunicorn.log", "w") as output:
        server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    for _ in range(120):
        if status(port, "/accounts/login/") == 200:
            return server
        time.sleep(0.5)
    stop(server)
    sys.exit("scan: gunicorn did not answer; see .run/scan/gunicorn.log")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def status(port: int, path: str, cookie: str = "") -> int | None:
    """The status of a GET, redirects not followed, or None when nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


# Sessions (Django in this process, on the scan's database) -------------------------------------


def session_of(env: dict, email: str) -> str:
    os.environ.update(env)
    import django

    django.setup()
    from recruitment.models import User

    return signed_in_session(User.objects.get(email=email))


def cookie_file(scan: Scan, session_key: str) -> Path:
    """wapiti's JSON cookie jar: domain, then path, then cookie name."""
    cookie = {"value": session_key, "expires": None, "secure": False, "port": None, "version": 0}
    path = OUT_DIR / f"{scan.name}.cookies.json"
    path.write_text(json.dumps({"127.0.0.1": {"/": {"sessionid": cookie}}}))
    return path


# Scanning -------------------------------------------------------------------------------------


def wapiti_command(wapiti: Path, scan: Scan, port: int, args, cookies: Path | None) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    command = [
        str(wapiti), "--url", f"{base}/", "--scope", "folder", "--module", ",".join(MODULES),
        "--max-scan-time", str(args.crawl_seconds), "--max-attack-time", str(args.attack_seconds),
        "--depth", "6", "--max-links-per-page", "60", "--max-files-per-dir", "40",
        "--exclude", f"{base}/accounts/logout/*", "--exclude", f"{base}/static/*",
        # The CSRF token is not an input to attack: a changed one only earns a 403.
        "--skip", "csrfmiddlewaretoken",
        "--endpoint", CLOSED_PORT, "--dns-endpoint", "127.0.0.1", "--no-bugreport",
        "--flush-session",
        "--store-session", str(OUT_DIR / "sessions" / scan.name),
        "--store-config", str(WAPITI_DIR / "config"),
        "--format", "json", "--output", str(OUT_DIR / f"{scan.name}.json"), "--verbose", "1",
    ]  # fmt: skip
    for path in scan.start:
        command += ["--start", base + path]
    return command + (["--cookie", str(cookies)] if cookies else [])


def run_scan(wapiti: Path, scan: Scan, port: int, args, env: dict) -> dict:
    cookies, cookie_header = None, ""
    if scan.email:
        session_key = session_of(env, scan.email)
        cookies, cookie_header = cookie_file(scan, session_key), f"sessionid={session_key}"
        if status(port, scan.start[0], cookie_header) != 200:
            sys.exit(f"scan: the {scan.name} session does not open {scan.start[0]}")
    log(f"Scanning as {scan.email or 'anonymous'} (log: .run/scan/{scan.name}.log)…")
    started = time.monotonic()
    with open(OUT_DIR / f"{scan.name}.log", "w") as output:
        finished = subprocess.run(wapiti_command(wapiti, scan, port, args, cookies),
                                  cwd=PROJECT_DIR, stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    if finished.returncode != 0:
        sys.exit(f"scan: wapiti failed; see .run/scan/{scan.name}.log")
    minutes = (time.monotonic() - started) / 60
    still_signed_in = not scan.email or status(port, scan.start[0], cookie_header) == 200
    if not still_signed_in:
        log(f"The {scan.name} session was lost during the scan: its findings are partly anonymous")
    report = json.loads((OUT_DIR / f"{scan.name}.json").read_text())
    return {"scan": scan, "minutes": minutes, "still_signed_in": still_signed_in, "report": report}


# Summary --------------------------------------------------------------------------------------


def summary(results: list[dict], args, statuses: Counter, server_errors: list[str]) -> str:
    lines = [
        f"# Security scan, {WAPITI}, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        "gunicorn on 127.0.0.1, DEBUG off, production settings (cookies over plain HTTP:",
        "tests/security/scan_settings.py), demo data. Each scan: crawl "
        f"{args.crawl_seconds} s, each module at most {args.attack_seconds} s.",
        f"Modules: {', '.join(MODULES)}.",
        "Responses by status (gunicorn's access log): "
        + ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        + ". /healthz answers 503 because no Celery worker runs during the scan.",
        f"Other 5xx responses: {len(server_errors)}"
        + (f", e.g. {escape(server_errors[0])}" if server_errors else "")
        + ".",
        "",
        "| scan | signed in as | minutes | still signed in | vulnerabilities | anomalies | additionals |",
        "|---|---|---:|---|---:|---:|---:|",
    ]
    for result in results:
        report, scan = result["report"], result["scan"]
        counts = [sum(map(len, report[kind].values())) for kind in SECTIONS]
        lines.append(
            f"| {scan.name} | {scan.email or '-'} | {result['minutes']:.1f} | "
            f"{'yes' if result['still_signed_in'] else 'NO'} | {' | '.join(map(str, counts))} |"
        )
    for result in results:
        lines += ["", f"## {result['scan'].name}"]
        for kind in SECTIONS:
            lines += findings(result["report"][kind], kind)
    return "\n".join(lines) + "\n"


SECTIONS = ("vulnerabilities", "anomalies", "additionals")
# Findings looked into, with the reason they need no change; anything else is marked NEW.
EXPLAINED = {
    "Secure Flag cookie": "the scan's own setting (no TLS on 127.0.0.1); production sets Secure "
    "on both cookies whenever DEBUG is off (`check --deploy` test)",
    "HttpOnly Flag cookie": "csrftoken only, on purpose: pages take the token from the HTML, and "
    "HttpOnly would not stop a CSRF attack (Django's CSRF_COOKIE_HTTPONLY notes); sessionid is HttpOnly",
    "HTTP Methods": "information: our views answer 405 to methods they do not take; allauth's "
    "views answer OPTIONS and treat PUT as POST, behind the same CSRF check",
}
ACCESS_LINE = re.compile(r'"([A-Z]+ \S+) HTTP/[\d.]+" (\d{3}) ')


def findings(by_category: dict, kind: str) -> list[str]:
    found = {category: items for category, items in by_category.items() if items}
    if not found:
        return ["", f"No {kind}."]
    lines = ["", f"### {kind.capitalize()}", "",
             "| category | count | where (method path: info) | verdict |", "|---|---:|---|---|"]  # fmt: skip
    for category, items in sorted(found.items()):
        places = Counter(f"{item['method']} {item['path']}: {item['info']}" for item in items)
        shown = "<br>".join(
            f"{place} (x{n})" if n > 1 else place for place, n in places.most_common(8)
        )
        more = f"<br>… and {len(places) - 8} more" if len(places) > 8 else ""
        verdict = EXPLAINED.get(category, "NEW: not looked into yet")
        lines.append(f"| {category} | {len(items)} | {escape(shown)}{more} | {verdict} |")
    return lines


def escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def access_log() -> list[tuple[str, str]]:
    """(request, status) of gunicorn's access log lines: `... "GET /path HTTP/1.1" 200 1234 ...`."""
    lines = (OUT_DIR / "gunicorn.log").read_text(errors="replace").splitlines()
    return [match.groups() for line in lines if (match := ACCESS_LINE.search(line))]


def main(argv=None) -> None:
    args = parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wapiti = ensure_wapiti()
    port = devstack.free_port(8200)
    env = scan_environment(args, port)
    reset_stores(env)
    prepare_app(env)
    server = start_gunicorn(env, port)
    try:
        scans = [scan for scan in SCANS if not args.only or scan.name in args.only]
        results = [run_scan(wapiti, scan, port, args, env) for scan in scans]
    finally:
        stop(server)
    requests = access_log()
    statuses = Counter(status for _, status in requests)
    server_errors = [f"{request} {status}" for request, status in requests
                     if status.startswith("5") and request != "GET /healthz"]  # fmt: skip
    report = summary(results, args, statuses, server_errors)
    (OUT_DIR / "report.md").write_text(report)
    log("Wrote .run/scan/report.md")
    print(report)


if __name__ == "__main__":
    main()
