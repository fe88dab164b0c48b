"""Services of agency threads: starting them, posting and deleting messages, read markers, and
the email about a burst of new messages."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, JobAssignment, agency_id_of
from candidates.models import Candidate
from messaging import tasks
from messaging.models import Attachment, Message, ReadMarker, Thread
from messaging.selectors import threads as selectors
from recruitment import services as core
from recruitment.models import Role, User

MAX_MESSAGE_LENGTH = 10_000
NOTIFY_SWEEP_SIZE = 500  # threads a sweep queues; the rest wait 15 s for the next


# Starting threads --------------------------------------------------------------------------


def candidate_thread(*, candidate: Candidate) -> Thread | None:
    return Thread.objects.filter(kind=Thread.Kind.CANDIDATE, candidate=candidate).first()


def _thread_create(**fields) -> tuple[Thread, bool]:
    """Create, or return the thread a concurrent request created first (the constraints decide);
    and whether this call created it."""
    try:
        with transaction.atomic():
            return Thread.objects.create(**fields), True
    except IntegrityError:
        unique = {
            k: fields[k]
            for k in ("kind", "candidate", "employer_user", "agency_user")
            if k in fields
        }
        return Thread.objects.get(**unique), False


@transaction.atomic
def candidate_thread_start(*, actor: User, candidate: Candidate, body: str, files=()) -> Message:
    """Either side starts it, about a candidate they see (a hiring manager: their jobs' only)."""
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied
    if candidate.agency_id is None:
        raise ValidationError("This candidate applied directly: there is no agency to talk to.")
    thread = candidate_thread(candidate=candidate)
    if thread is None:
        thread, _created = _thread_create(
            kind=Thread.Kind.CANDIDATE,
            candidate=candidate,
            agency_id=candidate.agency_id,
            created_by=actor,
        )
    return message_post(actor=actor, thread=thread, body=body, files=files)


@transaction.atomic
def general_thread_start(
    *, actor: User, agency: Agency, subject: str, body: str, files=()
) -> Message:
    if not selectors.thread_agencies(user=actor).filter(pk=agency.pk).exists():
        raise PermissionDenied
    thread = Thread.objects.create(
        kind=Thread.Kind.GENERAL, agency=agency, subject=subject.strip(), created_by=actor
    )
    core.audit_record(
        actor=actor,
        action="thread.general_created",
        obj=thread,
        agency_id=agency.pk,
        summary=f"Started a general thread with {agency}: {thread.subject}",
    )
    return message_post(actor=actor, thread=thread, body=body, files=files)


@transaction.atomic
def private_thread_start(*, actor: User, partner: User, body: str, files=()) -> Message:
    if not selectors.private_partners(user=actor).filter(pk=partner.pk).exists():
        raise PermissionDenied
    employer_user, agency_user = (actor, partner) if actor.is_employer else (partner, actor)
    pair = {"employer_user": employer_user, "agency_user": agency_user}
    thread = Thread.objects.filter(kind=Thread.Kind.PRIVATE, **pair).first()
    if thread is None:
        thread, created = _thread_create(
            kind=Thread.Kind.PRIVATE, agency_id=agency_id_of(agency_user), created_by=actor, **pair
        )
        if created:
            _audit_private_thread(actor, thread)
    return message_post(actor=actor, thread=thread, body=body, files=files)


def _audit_private_thread(actor: User, thread: Thread) -> None:
    """Owners cannot read private threads; the audit log records that one exists (SPEC): who with
    whom, when, and never what was said."""
    core.audit_record(
        actor=actor,
        action="thread.private_created",
        obj=thread,
        agency_id=thread.agency_id,
        summary=f"Started a private thread between {thread.employer_user} and "
        f"{thread.agency_user} ({thread.agency})",
        data={"employer_user": thread.employer_user.email, "agency_user": thread.agency_user.email},
    )


# Messages ----------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, actor: User, thread: Thread, body: str, files=()) -> Message:
    body = body.strip()
    if not body and not files:
        raise ValidationError({"body": "Write a message or attach a file."})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"body": f"Messages can be up to {MAX_MESSAGE_LENGTH:,} characters."})
    message = Message.objects.create(
        thread=thread, agency_id=thread.agency_id, author=actor, body=body
    )
    for upload in files:
        Attachment.objects.create(
            message=message, thread=thread, file=upload, name=upload.name[:255], size=upload.size
        )
    Thread.objects.filter(pk=thread.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk, last_message_at=message.created_at
    )
    thread.last_message_id, thread.last_message_at = message.pk, message.created_at
    _mark_read(user=actor, thread=thread, up_to=message.pk)
    _schedule_notifications(thread)
    return message


def _schedule_notifications(thread: Thread) -> None:
    """One email per burst: the first message of a quiet thread sets when it goes out (after the
    delay); the messages that follow within it ride along. thread_notifications_send sends it."""
    due = timezone.now() + timedelta(seconds=settings.MESSAGE_NOTIFY_DELAY_SECONDS)
    Thread.objects.filter(pk=thread.pk, notify_due_at__isnull=True).update(notify_due_at=due)


@transaction.atomic
def message_delete(*, actor: User, message: Message) -> Message:
    """Only the author deletes; everyone then sees "message deleted"; the text stays in the audit
    log.

    The thread's row is locked first, so that its deletions commit in the order of their times:
    a chat poll that has seen the thread's last_deleted_at has seen every deletion before it."""
    if message.author_id != actor.pk:
        raise PermissionDenied
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("candidate", "agency", "employer_user", "agency_user")
        .get(pk=message.thread_id)
    )
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.is_deleted:
        return message
    core.audit_record(
        actor=actor,
        action="message.deleted",
        obj=message,
        agency_id=message.agency_id,
        summary=f"Deleted a message in {thread}",
        data={
            "body": message.body,
            # Owners read a deleted message's text in /audit/, except a private thread's (SPEC).
            "private_thread": thread.kind == Thread.Kind.PRIVATE,
            "attachments": list(message.attachments.values_list("name", flat=True)),
            "thread": str(thread.public_id),
            "sent_at": message.created_at.isoformat(),
        },
    )
    message.body, message.deleted_at = "", timezone.now()
    message.save(update_fields=["body", "deleted_at"])
    thread.last_deleted_at = message.deleted_at
    thread.save(update_fields=["last_deleted_at"])
    message.thread = thread
    return message


def _mark_read(*, user: User, thread: Thread, up_to: int) -> None:
    marker, _created = ReadMarker.objects.get_or_create(thread=thread, user=user)
    ReadMarker.objects.filter(pk=marker.pk, last_read_id__lt=up_to).update(last_read_id=up_to)


def thread_mark_read(*, user: User, thread: Thread) -> None:
    if thread.last_message_id:
        _mark_read(user=user, thread=thread, up_to=thread.last_message_id)


# Notifications -----------------------------------------------------------------------------


def thread_participants(thread: Thread):
    """Who hears about new messages: the people naturally on each side, plus anyone who wrote in
    the thread; always filtered by the thread's own visibility rule. For a general thread the
    employer's side is the coordinators of the jobs sent to the agency."""
    if thread.kind == Thread.Kind.PRIVATE:
        people = Q(pk__in=[thread.employer_user_id, thread.agency_user_id])
    else:
        writers = Q(pk__in=Message.objects.filter(thread=thread).values("author"))
        agency_admins = Q(role=Role.AGENCY_ADMIN, membership__agency=thread.agency_id)
        people = writers | agency_admins | Q(pk=thread.created_by_id)
        if thread.kind == Thread.Kind.GENERAL:
            sent = JobAssignment.objects.active().filter(agency=thread.agency_id)
            people |= Q(coordinated_jobs__in=sent.values("job"))
        if thread.candidate_id:
            jobs = thread.candidate.applications.values("job")
            people |= (
                Q(pk=thread.candidate.submitted_by_id)
                | Q(team_jobs__in=jobs)
                | Q(coordinated_jobs__in=jobs)
            )
    candidates = User.objects.filter(people, is_active=True).distinct()
    return [
        user for user in candidates if Thread.objects.visible_to(user).filter(pk=thread.pk).exists()
    ]


def thread_notifications_send(*, now=None) -> int:
    """Beat, every 15 s: queue thread_notify for each thread whose burst has waited its delay.
    The due time lives in PostgreSQL rather than as a delayed task, so that the broker never holds
    a message for minutes (see CELERY_BROKER_TRANSPORT_OPTIONS). Clearing it is the claim: two
    sweeps never queue one burst twice, and a message from then on sets the next due time."""
    due = Thread.objects.filter(notify_due_at__lte=now or timezone.now()).order_by("notify_due_at")
    queued = 0
    for thread_id, due_at in due.values_list("pk", "notify_due_at")[:NOTIFY_SWEEP_SIZE]:
        if Thread.objects.filter(pk=thread_id, notify_due_at=due_at).update(notify_due_at=None):
            tasks.thread_notify.delay(thread_id=thread_id)
            queued += 1
    return queued


def thread_notify(*, thread_id: int) -> None:
    """Email each participant the messages they have neither read nor been told about, once
    (the claim on the read marker: a task that runs twice sends nothing the second time)."""
    thread = Thread.objects.select_related("candidate", "agency").get(pk=thread_id)
    for user in thread_participants(thread):
        marker, _created = ReadMarker.objects.get_or_create(thread=thread, user=user)
        seen = max(marker.last_read_id, marker.last_notified_id)
        unseen = list(
            Message.objects.filter(thread=thread, pk__gt=seen, deleted_at__isnull=True)
            .exclude(author=user)
            .select_related("author")
        )
        if not unseen:
            continue
        claimed = ReadMarker.objects.filter(
            pk=marker.pk, last_notified_id=marker.last_notified_id
        ).update(last_notified_id=unseen[-1].pk)
        if claimed:
            _email_new_messages(user, thread, unseen)


def _email_new_messages(user: User, thread: Thread, messages: list[Message]) -> None:
    url = settings.SITE_URL + reverse("messaging:thread", kwargs={"public_id": thread.public_id})
    count = len(messages)
    core.email_send_on_commit(
        to=[user.email],
        subject=f"{count} new message{'s' if count != 1 else ''}: {thread.title}",
        template="emails/new_messages.txt",
        context={"thread": thread, "messages": messages, "url": url, "recipient": user},
    )
