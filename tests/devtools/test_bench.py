"""`make bench` reports the EXPLAIN ANALYZE of the slowest query of each page that misses its goal."""

from devtools.bench.measure import slow_query_plans


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
