"""Inbox search over thread subjects: a GIN index of the subject's words (the expression of
messaging.selectors.SUBJECT_WORDS), so "fee" finds "Fee schedule" by word beginning. Built
concurrently: a large thread table must keep taking messages meanwhile."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0005_held_whatsapp_texts"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="thread",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("subject", config="simple"),
                name="thread_subject_search",
            ),
        ),
    ]
