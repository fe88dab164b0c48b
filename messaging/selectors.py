from django.contrib.postgres.search import SearchQuery
from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import Agency
from candidates import selectors as candidate_selectors
from candidates.models import Application, Candidate, Resume
from messaging.models import (
    Attachment,
    Conversation,
    ConversationMessage,
    Message,
    Seat,
    SenderNumber,
    TextContact,
    TextingPlan,
    Thread,
)
from recruitment.models import EMPLOYER_ROLES, Job, Role, User
from recruitment.selectors import get_from_input_or_404


def _with_read_marker(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """read_up_to: how far the user read each thread (0 if never), joined once, not per row."""
    mine = FilteredRelation("read_markers", condition=Q(read_markers__user=user))
    return threads.annotate(my_marker=mine).annotate(
        read_up_to=Coalesce("my_marker__last_read_id", Value(0))
    )


UNREAD_BADGE_MAX = 99  # the navigation shows "99+" beyond


def unread_thread_count(*, user: User) -> int:
    """Counting stops at UNREAD_BADGE_MAX + 1, so a busy inbox costs no more than a quiet one."""
    threads = _with_read_marker(Thread.objects.visible_to(user), user)
    unread = threads.filter(last_message_id__gt=F("read_up_to"))
    return unread.order_by().values("pk")[: UNREAD_BADGE_MAX + 1].count()


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
        threads = threads.filter(candidate_selectors.name_match(candidate, "candidate__"))
    if q := filters.get("q", "").strip():
        in_text = Message.objects.filter(
            thread=OuterRef("pk"), search=SearchQuery(q, config="simple")
        )
        # A subquery, not the joined candidate as for the filter above: OR'd with the text search,
        # PostgreSQL hashes it once, where the join doubled the time of a rare word's search.
        threads = threads.filter(
            Exists(in_text) | Q(candidate__in=candidate_selectors.candidates_named(q).values("pk"))
        )
    return (
        threads.filter(last_message_id__gt=0)
        .select_related("agency", "candidate", "employer_user", "agency_user")
        .order_by("-last_message_at", "-id")
    )


def attach_last_messages(threads: list[Thread]) -> list[Thread]:
    """Each thread's newest message as `thread.last_message`, in one query for the whole page."""
    ids = [thread.last_message_id for thread in threads]
    messages = Message.objects.filter(pk__in=ids).select_related("author").in_bulk() if ids else {}
    for thread in threads:
        thread.last_message = messages.get(thread.last_message_id)
    return threads


def thread_get(*, user: User, public_id) -> Thread:
    threads = Thread.objects.visible_to(user).select_related(
        "agency", "candidate", "employer_user", "agency_user", "created_by"
    )
    return get_object_or_404(threads, public_id=public_id)


PAGE_OF_MESSAGES = 50


def thread_messages(*, thread: Thread, after: int = 0, before: int | None = None) -> list[Message]:
    """The newest messages after `after` (and before `before`, to page back), oldest first."""
    messages = Message.objects.filter(thread=thread, pk__gt=after)
    if before:
        messages = messages.filter(pk__lt=before)
    messages = (
        messages.select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-thread_id", "-id")[:PAGE_OF_MESSAGES]  # thread_id first: the (thread, id) index
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


def _of_candidate(candidate: Candidate, prefix: str = "") -> Q:
    """A candidate's own rows and those of profiles merged into it."""
    return Q(**{f"{prefix}candidate": candidate}) | Q(
        **{f"{prefix}candidate__merged_into": candidate}
    )


def candidate_threads(*, user: User, candidate: Candidate) -> list[Thread]:
    """The candidate's agency threads, latest first: one, or one per agency of merged profiles."""
    threads = Thread.objects.visible_to(user).filter(
        _of_candidate(candidate), kind=Thread.Kind.CANDIDATE
    )
    return list(threads.select_related("agency").order_by("-last_message_at"))


def candidate_files(
    *, user: User, candidate: Candidate
) -> tuple[QuerySet[Resume], QuerySet[Attachment]]:
    """Every file about a candidate: resumes, and attachments of their conversation."""
    resumes = Resume.objects.visible_to(user).filter(candidate=candidate)
    attachments = (
        Attachment.objects.visible_to(user)
        .filter(_of_candidate(candidate, prefix="thread__"), message__deleted_at__isnull=True)
        .select_related("message__author")
    )
    return resumes, attachments


def inbox_agencies(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user).only("name").order_by("name")


def inbox_agency_choices(*, user: User) -> list[tuple[int, str]]:
    return list(inbox_agencies(user=user).values_list("pk", "name"))


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


# Texting -----------------------------------------------------------------------------------


def conversation_list(*, user: User, filters: dict) -> QuerySet[Conversation]:
    mine = FilteredRelation("read_markers", condition=Q(read_markers__user=user))
    conversations = (
        Conversation.objects.visible_to(user)
        .filter(last_message_id__gt=0)
        .annotate(my_marker=mine)
        .annotate(read_up_to=Coalesce("my_marker__last_read_id", Value(0)))
        .annotate(unread=Q(last_message_id__gt=F("read_up_to")))
        .select_related("application__candidate", "application__job")
    )
    if channel := filters.get("channel"):
        on_channel = ConversationMessage.objects.filter(
            conversation=OuterRef("pk"), channel=channel
        )
        conversations = conversations.filter(Exists(on_channel))
    if job := filters.get("job"):
        conversations = conversations.filter(application__job=job)
    if filters.get("unread"):
        conversations = conversations.filter(last_message_id__gt=F("read_up_to"))
    return conversations.order_by("-last_message_at", "-id")


def attach_last_texts(conversations: list[Conversation]) -> list[Conversation]:
    """Each conversation's newest message as `conversation.last_message`, in one query."""
    ids = [conversation.last_message_id for conversation in conversations]
    messages = ConversationMessage.objects.in_bulk(ids) if ids else {}
    for conversation in conversations:
        conversation.last_message = messages.get(conversation.last_message_id)
    return conversations


def texting_application(*, user: User, public_id) -> Application:
    applications = Application.objects.visible_to(user).filter(candidate__merged_into__isnull=True)
    return get_object_or_404(
        applications.select_related("candidate", "job", "agency"), public_id=public_id
    )


def application_conversation(*, application: Application) -> Conversation | None:
    return Conversation.objects.filter(application=application).first()


def conversation_messages(
    *, conversation: Conversation | None, channel: str = ""
) -> list[ConversationMessage]:
    if conversation is None:
        return []
    messages = ConversationMessage.objects.filter(conversation=conversation).select_related(
        "author"
    )
    return list(messages.filter(channel=channel) if channel else messages)


def text_contact(*, application: Application) -> TextContact | None:
    phone = application.candidate.phone
    return (
        TextContact.objects.select_related("sender").filter(phone=phone).first() if phone else None
    )


def seat_holders(*, user: User) -> QuerySet[User]:
    if not user.is_owner:
        return User.objects.none()
    seat = Seat.objects.filter(user=OuterRef("pk"))
    employer = User.objects.filter(role__in=sorted(EMPLOYER_ROLES), is_active=True)
    return employer.annotate(has_seat=Exists(seat)).order_by("-has_seat", "first_name", "last_name")


def seat_user(*, user: User, public_id) -> User:
    return get_from_input_or_404(seat_holders(user=user), public_id=public_id)


def sender_numbers(*, user: User) -> QuerySet[SenderNumber]:
    return SenderNumber.objects.all() if user.is_owner else SenderNumber.objects.none()


def sender_number_get(*, user: User, public_id) -> SenderNumber:
    return get_object_or_404(sender_numbers(user=user), public_id=public_id)


def console_texts(*, user: User) -> QuerySet[ConversationMessage]:
    """What the console provider 'sent', for the development console page."""
    if not user.is_employer:
        return ConversationMessage.objects.none()
    outbound = ConversationMessage.objects.filter(direction=ConversationMessage.Direction.OUTBOUND)
    return (
        outbound.exclude(channel="email")
        .select_related("conversation__application__candidate")
        .order_by("-id")[:30]
    )


def conversation_jobs(*, user: User) -> QuerySet[Job]:
    return Job.objects.visible_to(user).order_by("title")


def texting_plan(*, user: User) -> TextingPlan:
    if not user.is_owner:
        raise Http404
    return TextingPlan.current()
