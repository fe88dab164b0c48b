"""People search by phone: an index on the reversed number, so matching its end is a prefix scan.

People search decides from PostgreSQL's estimate whether to fetch the matching people's ids
first (candidates.selectors._person_match); an expression index has no statistics until the next
ANALYZE, and without them a phone's estimate is a default guess, hence the ANALYZE here.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_planner_statistics"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Reverse("phone"), name="text_pattern_ops"
                ),
                name="candidate_phone_reversed",
            ),
        ),
        migrations.RunSQL("ANALYZE candidates_candidate", migrations.RunSQL.noop),
    ]
