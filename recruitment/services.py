import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from recruitment import tasks
from recruitment.celery import app as celery_app
from recruitment.models import AuditEvent, Job, Notification, PendingTask, User

logger = logging.getLogger(__name__)


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


# Tasks kept while the broker is down ---------------------------------------------------------


def pending_task_keep(
    *,
    name: str,
    kwargs: dict,
    error: Exception,
    countdown: float | None = None,
    eta: datetime | None = None,
) -> PendingTask:
    if countdown is not None:
        eta = timezone.now() + timedelta(seconds=countdown)
    logger.warning("Broker unavailable (%s); %s kept in the database to send later", error, name)
    return PendingTask.objects.create(name=name, kwargs=kwargs, eta=eta, error=str(error)[:300])


def pending_tasks_publish(*, batch_size: int = 100) -> int:
    """Send the kept tasks, oldest first, and return how many went. Each row is deleted only after
    the broker took its message, in the transaction that locked it; SKIP LOCKED lets two of these
    run at once without sending a task twice."""
    sent_in_all = 0
    while True:
        with transaction.atomic():
            rows = PendingTask.objects.select_for_update(skip_locked=True)[:batch_size]
            sent = _send_until_refused(rows)
            PendingTask.objects.filter(pk__in=sent).delete()
        sent_in_all += len(sent)
        if len(sent) < batch_size:  # all sent, or the broker is down again
            return sent_in_all


def _send_until_refused(rows) -> list[int]:
    sent = []
    for row in rows:
        try:
            # The app's send_task, not the task's apply_async, which would keep the row a second
            # time.
            celery_app.send_task(row.name, kwargs=row.kwargs, eta=row.eta)
        except (KombuError, RedisError) as exc:
            logger.warning("Broker still unavailable (%s); pending tasks stay kept", exc)
            break
        sent.append(row.pk)
    return sent
