"""People search by phone: an index on the reversed number, so matching its end is a prefix scan.

Built concurrently: a large candidate table must not block submissions meanwhile. People search
decides from PostgreSQL's estimate whether to fetch the matching people's ids first
(candidates.selectors._person_match); an expression index has no statistics until the next
ANALYZE, and without them a phone's estimate is a default guess, hence the ANALYZE here.
"""

from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Reverse


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("candidates", "0007_planner_statistics"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="candidate",
            index=models.Index(
                OpClass(Reverse("phone"), name="text_pattern_ops"), name="candidate_phone_reversed"
            ),
        ),
        migrations.RunSQL("ANALYZE candidates_candidate", migrations.RunSQL.noop),
    ]
