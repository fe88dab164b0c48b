import json

from django.db.models import Lookup, QuerySet


def planner_estimate(queryset: QuerySet) -> int:
    """The rows PostgreSQL expects `queryset` to return, from its statistics: EXPLAIN reads none."""
    return json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"]


class AnyOf(Lookup):
    """`lhs = ANY(%s)` with the list as one array parameter, for thousands of values: PostgreSQL
    hashes them, and psycopg adapts one list instead of a parameter each (`__in`: 5 ms for
    2,000)."""

    prepare_rhs = False  # the list goes to psycopg whole

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        array = f"{self.lhs.output_field.db_type(connection)}[]"  # psycopg would say int4[]
        return f"{lhs} = ANY({rhs}::{array})", (*lhs_params, *rhs_params)
