"""`make bench` reports the EXPLAIN ANALYZE of the slowest query of each page that misses its goal,
and judges the parsing goals (also alone, with --only parsing)."""

import io

from django.core.management import call_command

from devtools.bench.measure import slow_query_plans
from devtools.bench.report import parsing_goals
from devtools.management.commands import bench


def _page(name: str, slowest_sql: str, p95_ms: float) -> dict:
    measured = {"p95_ms": p95_ms, "slowest_sql": slowest_sql}
    return {"name": name, "goal_ms": 50, "large": measured, "small": {**measured, "p95_ms": 1}}


def test_a_slow_page_gets_the_plan_of_its_slowest_query(db):
    plans = slow_query_plans(
        [_page("Jobs", "SELECT 1", p95_ms=80), _page("Inbox", "SELECT 2", p95_ms=10)]
    )
    assert list(plans) == ["Jobs"]
    assert plans["Jobs"]["sql"] == "SELECT 1"
    assert plans["Jobs"]["plan"][0].startswith("Result")


def test_a_planner_estimate_gets_the_plan_of_the_query_it_estimates(db):
    """People search asks the planner how many people a name matches (recruitment.db.
    planner_estimate): EXPLAIN of an EXPLAIN is a syntax error, which ended the whole run."""
    plans = slow_query_plans([_page("People", "EXPLAIN (FORMAT JSON) SELECT 1", p95_ms=80)])
    assert plans["People"]["sql"] == "EXPLAIN (FORMAT JSON) SELECT 1"
    assert plans["People"]["plan"][0].startswith("Result")


def _parsing(sandbox_ms: float, ocr_ms: float) -> dict:
    row = {"file": "cv.pdf", "pdftotext_ms": 20, "sandbox_ms": sandbox_ms, "in_process_ms": 100}
    row |= {"sandbox_ratio": sandbox_ms / 20, "in_process_ratio": 5}
    ocr = {"file": "cv.pdf", "dpi": 200, "p50_ms": ocr_ms, "p95_ms": ocr_ms, "max_ms": ocr_ms}
    return {
        "files": 1,
        "cold_start_ms": 400,
        "rows": [row],
        "ocr": ocr | {"name": "Jane Roe"},
        "accuracy": {"name": 1.0},
        "counts": {"name": 1},
    }


def test_bench_only_parsing_reports_the_parsing_goals_without_the_database(monkeypatch, tmp_path):
    """`make bench ARGS='--only parsing'`: no seeding, no pages, no database (no db fixture)."""
    monkeypatch.setattr(bench, "measure_resume_parsing", lambda: _parsing(110, 2600))
    monkeypatch.setattr(bench, "REPORT_DIR", tmp_path)
    call_command("bench", only="parsing", stdout=io.StringIO(), stderr=io.StringIO())

    report = (tmp_path / "report.md").read_text()
    assert "| sandboxed parse p50 ≤ 1.5× the in-process parse | **PASS** (1.10×) |" in report
    assert "| sandboxed parse p50 ≤ 8× `pdftotext` | **PASS** (5.5×) |" in report
    assert "| OCR of a one-page scan (sandboxed) p50 < 5 s | **PASS** (2.6 s) |" in report
    assert "## Pages" not in report


def test_parsing_goals_are_missed_when_the_sandbox_or_ocr_is_slow():
    goals = parsing_goals(_parsing(200, 6000))
    assert not goals["sandbox_vs_in_process"]["passed"]
    assert not goals["sandbox_vs_pdftotext"]["passed"]
    assert not goals["ocr_one_page"]["passed"]
