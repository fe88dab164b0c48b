"""Deleted messages reach the other readers without a reload: the thread keeps when a message of
it was last deleted, so a chat poll asks for deletions only when there are new ones, and then
finds them on a small index of the deleted messages only. The column has no default (PostgreSQL
adds it without rewriting the table); the index is built concurrently, since the message table is
large and must keep taking messages meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0006_thread_subject_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="last_deleted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        AddIndexConcurrently(
            model_name="message",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["thread", "deleted_at"],
                name="message_deleted",
            ),
        ),
    ]
