"""Extended statistics, so PostgreSQL estimates the dashboards' filters from the data.

Without them the planner multiplies the selectivities of an agency and of one of its users as if
they were independent, and guesses a name search's share of rows: for a small agency it expected
12 rows where there were 2,300, sorted them all and took 55-90 ms instead of reading one page off
the index in under 1 ms. Django has no model option for statistics objects, hence the SQL.
"""

from django.db import migrations

# (name, table, what the statistics object covers)
STATISTICS = [
    # A user belongs to one agency: filtering by both keeps the user's share, not a product.
    ("submission_agency_user", "candidates_submission", "(dependencies) ON agency_id, submitted_by_id"),
    ("candidate_agency_user", "candidates_candidate", "(dependencies) ON agency_id, submitted_by_id"),
    # The dashboards' search (icontains compares UPPER(column::text)).
    ("submission_upper_first_name", "candidates_submission", "ON (upper(first_name::text))"),
    ("submission_upper_last_name", "candidates_submission", "ON (upper(last_name::text))"),
    ("submission_upper_email", "candidates_submission", "ON (upper(email::text))"),
]
TABLES = sorted({table for _name, table, _on in STATISTICS})


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0006_claim_job_partial_index"),
    ]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE STATISTICS {name} {on} FROM {table}",
                f"DROP STATISTICS {name}",
            )
            for name, table, on in STATISTICS
        ),
        # Statistics objects stay empty until the next ANALYZE; fill them now, not at autovacuum's turn.
        migrations.RunSQL(f"ANALYZE {', '.join(TABLES)}", migrations.RunSQL.noop),
    ]
