"""The agency dashboards' search: a trigram index over what it compares (first and last name,
email, phone), built concurrently so that a large submission table keeps taking submissions."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.models.functions import Upper


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("candidates", "0008_phone_suffix_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="submission",
            index=GinIndex(
                OpClass(Upper("first_name"), name="gin_trgm_ops"),
                OpClass(Upper("last_name"), name="gin_trgm_ops"),
                OpClass(Upper("email"), name="gin_trgm_ops"),
                OpClass("phone", name="gin_trgm_ops"),
                name="submission_search_trgm",
            ),
        ),
    ]
