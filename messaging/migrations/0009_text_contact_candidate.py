import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def whose_consent(apps, schema_editor):
    """Each number's consent is the person's whose conversation last texted with it, else the
    newest candidate who has the number; a number nobody has keeps none."""
    TextContact = apps.get_model("messaging", "TextContact")
    ConversationMessage = apps.get_model("messaging", "ConversationMessage")
    Candidate = apps.get_model("candidates", "Candidate")
    for contact in TextContact.objects.filter(candidate__isnull=True).iterator():
        texts = ConversationMessage.objects.filter(
            Q(to_number=contact.phone) | Q(from_number=contact.phone),
            channel__in=("sms", "whatsapp"),
        )
        latest = texts.select_related("conversation__application").order_by("-id").first()
        if latest is not None:
            contact.candidate_id = latest.conversation.application.candidate_id
        else:
            holder = Candidate.objects.filter(phone=contact.phone, merged_into__isnull=True)
            contact.candidate_id = holder.order_by("-created_at", "-id").values_list("pk", flat=True).first()
        contact.save(update_fields=["candidate"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0011_application_stage_index"),
        ("messaging", "0008_thread_notify_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="textcontact",
            name="candidate",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose consent this is: the person last asked or answering at this number.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="candidates.candidate",
            ),
        ),
        migrations.RunPython(whose_consent, migrations.RunPython.noop),
    ]
