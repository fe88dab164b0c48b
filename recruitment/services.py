from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from recruitment import tasks
from recruitment.models import AuditEvent, Job, Notification, User


def audit_record(
    *, actor: User | None, action: str, summary: str, obj=None, agency_id=None, data=None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=f"{actor} <{actor.email}>" if actor else "system",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", obj.pk)) if obj is not None else "",
        agency_id=agency_id,
        summary=summary[:500],
        data=data or {},
    )


def audit_export(*, actor: User, what: str, agency_id=None) -> AuditEvent:
    return audit_record(
        actor=actor, action="export.csv", summary=f"Exported {what} as CSV", agency_id=agency_id
    )


def email_send_on_commit(*, to: Iterable[str], subject: str, template: str, context: dict) -> None:
    """Render now, send from a worker once the surrounding transaction has committed."""
    recipients = sorted(set(to))
    if not recipients:
        return
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    for recipient in recipients:
        tasks.email_send.delay_on_commit(to=recipient, subject=subject, body=body)


def notify(*, users: Iterable[User], text: str, url: str = "") -> None:
    Notification.objects.bulk_create(
        Notification(user=user, text=text[:300], url=url) for user in users
    )


def notifications_mark_read(*, user: User, ids: Iterable | None = None) -> int:
    unread = Notification.objects.visible_to(user).unread()
    if ids is not None:
        unread = unread.filter(public_id__in=list(ids))
    return unread.update(read_at=timezone.now())


JOB_FIELDS = [
    "title",
    "description",
    "location",
    "country",
    "category",
    "function",
    "experience_level",
    "employment_type",
    "status",
    "coordinator",
]


@transaction.atomic
def job_create(*, actor: User, hiring_team: Iterable[User], **fields) -> Job:
    job = Job(created_by=actor, **fields)
    job.full_clean()
    job.save()
    job.hiring_team.set({*hiring_team, job.coordinator})
    audit_record(actor=actor, action="job.created", summary=f"Created job {job.title}", obj=job)
    return job


@transaction.atomic
def job_update(*, actor: User, job: Job, hiring_team: Iterable[User], **fields) -> Job:
    # Compare with the stored row: a bound ModelForm has already copied the new values onto `job`.
    job = Job.objects.select_for_update().get(pk=job.pk)
    changed = [name for name, value in fields.items() if getattr(job, name) != value]
    for name in changed:
        setattr(job, name, fields[name])
    job.full_clean()
    job.save(update_fields=[*changed, "updated_at"])
    job.hiring_team.set({*hiring_team, job.coordinator})
    if changed:
        audit_record(
            actor=actor,
            action="job.updated",
            summary=f"Edited job {job.title}: {', '.join(changed)}",
            obj=job,
        )
    return job
