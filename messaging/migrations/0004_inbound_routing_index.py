# Built concurrently, as candidates' 0005 does: texts keep going out while it builds.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0003_text_invitation_flag"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="conversationmessage",
            index=models.Index(fields=["to_number", "id"], name="messaging_c_to_numb_ee6cf4_idx"),
        ),
    ]
