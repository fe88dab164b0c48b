"""The report: the machine and the data it ran on, the goals passed or missed, and the Markdown
of every measurement."""

import os
import platform
import statistics
from pathlib import Path

import django
from django.db import connection

from agencies.models import JobAssignment
from candidates.models import Application, Candidate, IdentityClaim, Submission
from devtools import field_eval
from devtools.bench.measure import slow_pages
from devtools.bench.scene import PAGE_GOAL_MS, SEARCH_GOAL_MS
from messaging.models import Message, Thread
from recruitment.models import Job

DUPLICATE_CHECK_GOAL = 2  # × a bare SELECT 1
SANDBOX_GOAL = 1.5  # p50 × the in-process parse
SANDBOX_PDFTOTEXT_GOAL = 8  # p50 × pdftotext
OCR_GOAL_MS = 5000  # a one-page scan, sandboxed


# Context and goals -------------------------------------------------------------------------


def machine(*, database: bool = True) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
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
        "python": platform.python_version(),
        "django": django.get_version(),
    } | (postgres_settings() if database else {})


def postgres_settings() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {"postgresql": postgres, "shared_buffers": shared_buffers}


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
    parsing = parsing_goals(report["resume_parsing"])
    return parsing if "pages" not in report else page_goals(report) | parsing


def parsing_goals(r: dict) -> dict:
    if "skipped" in r:
        return {}
    rows = r["rows"]
    sandbox = statistics.median(row["sandbox_ms"] for row in rows)
    in_process = statistics.median(row["in_process_ms"] for row in rows)
    pdftotext = statistics.median(row["sandbox_ratio"] for row in rows)
    return {
        "sandbox_vs_in_process": {
            "passed": sandbox <= SANDBOX_GOAL * in_process,
            "ratio": sandbox / in_process,
        },
        "sandbox_vs_pdftotext": {"passed": pdftotext <= SANDBOX_PDFTOTEXT_GOAL, "ratio": pdftotext},
        "ocr_one_page": {"passed": r["ocr"]["p50_ms"] < OCR_GOAL_MS, "ms": r["ocr"]["p50_ms"]},
    }


def page_goals(report: dict) -> dict:
    pages = report["pages"]
    slow = [name for name, _result in slow_pages(pages)]
    slow_search = [name for name in slow if name.split(" (")[0] in searches(pages)]
    slow = [name for name in slow if name not in slow_search]
    uneven = [
        page["name"]
        for page in pages
        if len(
            {
                page[size][bound]
                for size in ("large", "small")
                for bound in ("queries_min", "queries_max")
            }
        )
        > 1
    ]
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
            *(pages_section(report) if "pages" in report else []),
            *(duplicate_section(report["duplicate_check"]) if "pages" in report else []),
            *resume_section(report["resume_parsing"]),
            field_eval.render_markdown(**report["resume_fields"]),
            *(explain_section(report) if "pages" in report else []),
        ]
    )


def verdict(passed: bool) -> str:
    return "**PASS**" if passed else "**FAIL**"


def machine_section(report: dict) -> list[str]:
    m = report["machine"]
    sizes = ", ".join(f"{count:,} {name}" for name, count in report.get("data", {}).items())
    return [
        f"Run on {report['date']}: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, "
        + (
            f"PostgreSQL {m['postgresql']} (shared_buffers {m['shared_buffers']}), "
            if "postgresql" in m
            else ""
        )
        + f"Python {m['python']}, "
        f"Django {m['django']}. Load average (1 min) at the start and the end: "
        f"{report['load_average'][0]:.2f} and {report['load_average'][1]:.2f}; anything else "
        "running on the machine shows up in the times.",
        "",
        *([f"Data: {sizes}.", ""] if sizes else []),
    ]


def goals_section(report: dict) -> list[str]:
    g = report["goals"]
    return [
        "## Goals",
        "",
        "| goal | result |",
        "|---|---|",
        *(page_goal_rows(g) if "pages_p95" in g else []),
        *(parsing_goal_rows(g) if "ocr_one_page" in g else []),
        "",
    ]


def parsing_goal_rows(g: dict) -> list[str]:
    return [
        f"| sandboxed parse p50 ≤ {SANDBOX_GOAL}× the in-process parse | {verdict(g['sandbox_vs_in_process']['passed'])} ({g['sandbox_vs_in_process']['ratio']:.2f}×) |",
        f"| sandboxed parse p50 ≤ {SANDBOX_PDFTOTEXT_GOAL}× `pdftotext` | {verdict(g['sandbox_vs_pdftotext']['passed'])} ({g['sandbox_vs_pdftotext']['ratio']:.1f}×) |",
        f"| OCR of a one-page scan (sandboxed) p50 < {OCR_GOAL_MS / 1000:g} s | {verdict(g['ocr_one_page']['passed'])} ({g['ocr_one_page']['ms'] / 1000:.1f} s) |",
    ]


def page_goal_rows(g: dict) -> list[str]:
    return [
        f"| every page p95 < {PAGE_GOAL_MS} ms (at both sizes; inbox searches apart) | {verdict(g['pages_p95']['passed'])}{misses(g['pages_p95'])} |",
        f"| inbox search p95 < {SEARCH_GOAL_MS} ms (at both sizes) | {verdict(g['search_p95']['passed'])}{misses(g['search_p95'])} |",
        f"| query counts constant (every run, large = small) | {verdict(g['constant_queries']['passed'])}{misses(g['constant_queries'])} |",
        f"| duplicate check < {DUPLICATE_CHECK_GOAL}× SELECT 1 (hot p50, the slower of the INSERT and the SELECT) | {verdict(g['duplicate_check']['passed'])} ({g['duplicate_check']['ratio']:.2f}×) |",
    ]


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
    ]
    for page in report["pages"]:
        large, small = page["large"], page["small"]
        cold = f"{page['cold_ms']:.0f}" if "cold_ms" in page else "–"
        lines.append(
            f"| {page['name']} <br>`{large['url']}` | {large['p50_ms']:.1f} | {large['p95_ms']:.1f} "
            f"| {large['p50_ms'] / floor['p50_ms']:.1f} / {large['p95_ms'] / floor['p95_ms']:.1f} "
            f"| {query_range(large)} | {query_range(small)} | {small['p50_ms']:.1f} | {small['p95_ms']:.1f} "
            f"| {large['slowest_sql_ms']:.0f} | {cold} |"
        )
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
        *(
            f"| {label} | {timed_ratio(d['cold'], name)} | {timed_ratio(d['hot'], name)} |"
            for name, label in names.items()
        ),
        "",
        f"Whole `candidates.duplicates.submission_create` for a known person: p50 {full['p50_ms']:.1f} ms, "
        f"p95 {full['p95_ms']:.1f} ms, {query_range(full)} queries, outcomes: {', '.join(f'{n} {name}' for name, n in full['outcomes'].items())}. "
        f"Each run registered {'/'.join(map(str, full['on_commit_callbacks']))} on-commit "
        "callback(s) (the duplicate-scan task); Celery tasks are enqueued on commit only, so the "
        "rollback discarded them and nothing was enqueued (nor an audit row kept).",
        "",
    ]


def timed_ratio(timings: dict, name: str) -> str:
    r, base = timings[name], timings["select_1"]
    return (
        f"{r['p50_ms']:.3f} / {r['p95_ms']:.3f} | "
        f"{r['p50_ms'] / base['p50_ms']:.2f} / {r['p95_ms'] / base['p95_ms']:.2f}"
    )


def resume_section(r: dict) -> list[str]:
    if "skipped" in r:
        return ["## Resume parsing", "", f"Skipped: {r['skipped']}.", ""]
    rows, ocr = r["rows"], r["ocr"]
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
        f"{r['files']} sample PDFs, each parsed 3 times (the median counts); each time is a ratio to poppler's "
        f"`pdftotext` on the same file in the same run (pdftotext: p50 {statistics.median(baseline):.0f} ms, "
        f"max {max(baseline):.0f} ms). The sandbox is warm: a server forks one limited child per file; "
        f"its first call, which started the server, took {r['cold_start_ms']:.0f} ms.",
        "",
        "| parser | p50 ms | max ms | p50 × pdftotext | max × pdftotext |",
        "|---|---:|---:|---:|---:|",
        *(parser_row(name, rows, key) for name, key in parsers.items()),
        "",
        f"OCR: the first page of {ocr['file']} scanned at {ocr['dpi']} dpi (no text layer), sandboxed: "
        f"p50 {ocr['p50_ms']:.0f} ms, max {ocr['max_ms']:.0f} ms; name read: {ocr['name']}.",
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
    ]


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
        lines += [
            f"### {name}",
            "",
            "```sql",
            slowest["sql"],
            "```",
            "",
            "```",
            *slowest["plan"],
            "```",
            "",
        ]
    return lines
