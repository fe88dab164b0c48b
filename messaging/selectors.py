from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Upper
from django.shortcuts import get_object_or_404

from agencies.models import Agency
from candidates.models import Candidate, Resume
from messaging.models import Attachment, Message, ReadMarker, Thread
from recruitment.models import Role, User


def _with_read_marker(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    marker = ReadMarker.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_id")[:1]
    return threads.annotate(read_up_to=Coalesce(Subquery(marker), Value(0)))


def unread_thread_count(*, user: User) -> int:
    threads = _with_read_marker(Thread.objects.visible_to(user), user)
    return threads.filter(last_message_id__gt=F("read_up_to")).count()


def inbox(*, user: User, filters: dict) -> QuerySet[Thread]:
    """Visible threads, newest message first, each with its unread state; filters and search are
    index-backed (thread recency, message full-text, candidate name trigrams)."""
    threads = _with_read_marker(Thread.objects.visible_to(user), user).annotate(
        unread=Q(last_message_id__gt=F("read_up_to"))
    )
    if filters.get("unread"):
        threads = threads.filter(last_message_id__gt=F("read_up_to"))
    if filters.get("private"):
        threads = threads.filter(kind=Thread.Kind.PRIVATE)
    if agency := filters.get("agency"):
        threads = threads.filter(agency=agency)
    if candidate := filters.get("candidate", "").strip():
        threads = threads.filter(candidate__in=_candidates_named(candidate))
    if q := filters.get("q", "").strip():
        in_text = Message.objects.filter(
            thread=OuterRef("pk"), search=SearchQuery(q, config="simple")
        )
        threads = threads.filter(Exists(in_text) | Q(candidate__in=_candidates_named(q)))
    latest = Message.objects.order_by("-id").select_related("author")
    return (
        threads.filter(last_message_id__gt=0)
        .select_related("agency", "candidate", "employer_user", "agency_user")
        .prefetch_related(Prefetch("messages", queryset=latest, to_attr="newest"))
        .order_by("-last_message_at", "-id")
    )


def _candidates_named(text: str) -> QuerySet[Candidate]:
    people = Candidate.objects.annotate(
        upper_first=Upper("first_name"), upper_last=Upper("last_name")
    )
    for word in text.upper().split()[:4]:
        people = people.filter(Q(upper_first__contains=word) | Q(upper_last__contains=word))
    return people.values("pk")


def thread_get(*, user: User, public_id) -> Thread:
    threads = Thread.objects.visible_to(user).select_related(
        "agency", "candidate", "employer_user", "agency_user", "created_by"
    )
    return get_object_or_404(threads, public_id=public_id)


def thread_messages(*, thread: Thread, after: int = 0, limit: int = 200) -> list[Message]:
    """The newest `limit` messages after `after`, oldest first, with authors and attachments."""
    messages = (
        Message.objects.filter(thread=thread, pk__gt=after)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-id")[:limit]
    )
    return list(reversed(messages))


def message_get(*, user: User, public_id) -> Message:
    return get_object_or_404(
        Message.objects.visible_to(user).select_related("thread"), public_id=public_id
    )


def attachment_get(*, user: User, public_id) -> Attachment:
    attachments = Attachment.objects.visible_to(user).filter(message__deleted_at__isnull=True)
    return get_object_or_404(attachments, public_id=public_id)


def candidate_for_conversation(*, user: User, public_id) -> Candidate:
    return get_object_or_404(
        Candidate.objects.visible_to(user).select_related("agency"), public_id=public_id
    )


def candidate_thread(*, user: User, candidate: Candidate) -> Thread | None:
    return (
        Thread.objects.visible_to(user)
        .filter(kind=Thread.Kind.CANDIDATE, candidate=candidate)
        .first()
    )


def candidate_files(
    *, user: User, candidate: Candidate
) -> tuple[QuerySet[Resume], QuerySet[Attachment]]:
    """Every file about a candidate: resumes, and attachments of their conversation."""
    resumes = Resume.objects.visible_to(user).filter(candidate=candidate)
    attachments = (
        Attachment.objects.visible_to(user)
        .filter(thread__candidate=candidate, message__deleted_at__isnull=True)
        .select_related("message__author")
    )
    return resumes, attachments


def inbox_agencies(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user).order_by("name")


def private_partners(*, user: User) -> QuerySet[User]:
    """Whom a user may open a private thread with.

    Employer users: any active agency user. Agency users: the coordinators of jobs of candidates
    they can see, and anyone they already have a private thread with.
    """
    active = User.objects.filter(is_active=True)
    if user.is_employer:
        agency_users = active.filter(role__in=[Role.AGENCY_ADMIN, Role.AGENCY_RECRUITER])
        return agency_users.filter(membership__agency__is_active=True).order_by(
            "first_name", "last_name"
        )
    if user.is_agency_user:
        coordinators = Candidate.objects.visible_to(user).values("applications__job__coordinator")
        earlier = Thread.objects.filter(kind=Thread.Kind.PRIVATE, agency_user=user).values(
            "employer_user"
        )
        return active.filter(Q(pk__in=coordinators) | Q(pk__in=earlier)).order_by(
            "first_name", "last_name"
        )
    return User.objects.none()
