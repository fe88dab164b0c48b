from collections.abc import Iterable
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
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
from django.shortcuts import get_object_or_404

from agencies.models import Agency, JobAssignment
from candidates import selectors as candidate_selectors
from candidates.models import Candidate, Resume
from messaging.models import (
    Attachment,
    Message,
    Thread,
)
from recruitment.models import Role, User


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


SEARCH_WORDS_MAX = 8
PREFIX_MIN_LENGTH = 3
SUBJECT_WORDS = SearchVector("subject", config="simple")  # the expression of thread_subject_search
# Above this share of messages, finding the newest threads that contain a word is quicker thread
# by thread (each probe stops at its first match) than by collecting every match from the index.
COMMON_IN_MESSAGES = 0.01


def search_words(text: str) -> list[str]:
    """The words typed, as the search matches them: whitespace-separated, with a letter or digit."""
    words = [word for word in text.split() if any(char.isalnum() for char in word)]
    return words[:SEARCH_WORDS_MAX]


def prefix_search_query(words: list[str]) -> SearchQuery:
    """Every word typed must begin a word of the text: "interview fee" finds "Interviews: fee
    schedule" ('interview':* & 'fee':*), on the GIN indexes of message and subject words.

    Each word becomes a quoted tsquery literal, so what to_tsquery would read as an operator
    (& | ! <-> : * parentheses) is plain text split by the parser, as in the indexed text:
    "e-mail", "don't" and "ada@example.com" match as they were written. Words shorter than
    PREFIX_MIN_LENGTH match whole: "a:*" would read most of a million messages' index."""
    query = " & ".join(_tsquery_word(word) for word in words)
    return SearchQuery(query, search_type="raw", config="simple")


def _tsquery_word(word: str) -> str:
    literal = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return literal + ":*" if len(word) >= PREFIX_MIN_LENGTH else literal


class _ThreadByThread(Exists):
    """EXISTS checked for one thread at a time: OFFSET 0 keeps PostgreSQL from hashing every
    match of the subquery first (it cannot turn such an EXISTS into a hashed IN)."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def _share_of_messages(words: list[str]) -> float:
    """The share of messages the rarest word begins a word of, from PostgreSQL's statistics of
    the most common lexemes. PostgreSQL's own estimate of a prefix is a flat 2% whenever it knows
    fewer than 100 common lexemes, and it hashed a word in a fifth of the messages anyway (1 s)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT min(share) FROM (
                SELECT word, coalesce(sum(frequency), 0) AS share
                FROM unnest(%s::text[]) AS typed(word)
                LEFT JOIN (
                    SELECT lexeme, frequency FROM pg_stats, unnest(
                        most_common_elems::text::text[], most_common_elem_freqs
                    ) AS common(lexeme, frequency)
                    WHERE schemaname = current_schema() AND tablename = %s AND attname = 'search'
                ) AS common ON starts_with(common.lexeme, typed.word)
                GROUP BY word
            ) AS per_word""",
            [[word.lower() for word in words], Message._meta.db_table],
        )
        return cursor.fetchone()[0] or 0.0


def _in_messages(words: list[str]):
    """Threads with a message that has every word: checked thread by thread when the words are
    common (a page fills after a few threads), from the index's matches when they are rare."""
    in_text = Message.objects.filter(thread=OuterRef("pk"), search=prefix_search_query(words))
    if _share_of_messages(words) >= COMMON_IN_MESSAGES:
        return _ThreadByThread(in_text)
    return Exists(in_text)


def unread_badge(*, user: User) -> dict:
    """The navigation's Inbox count: the number and how it is shown."""
    unread = unread_thread_count(user=user)
    shown = f"{UNREAD_BADGE_MAX}+" if unread > UNREAD_BADGE_MAX else unread
    return {"unread_threads": unread, "unread_threads_shown": shown}


def inbox(*, user: User, filters: dict) -> QuerySet[Thread]:
    """Visible threads, newest message first, each with its unread state; filters and search are
    index-backed (thread recency, message and subject words, candidate name trigrams)."""
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
        # Subqueries, not the joined candidate as for the filter above: OR'd with the text search,
        # PostgreSQL hashes each once, where the join doubled the time of a rare word's search.
        match = Q(candidate__in=candidate_selectors.candidates_named(q).values("pk"))
        if words := search_words(q):
            subject = Thread.objects.annotate(words=SUBJECT_WORDS)
            in_subject = subject.filter(words=prefix_search_query(words))
            match |= _in_messages(words) | Q(pk__in=in_subject.values("pk"))
        threads = threads.filter(match)
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


def thread_deletions(*, thread: Thread, since: datetime | None, up_to: int) -> list[Message]:
    """The messages up to `up_to` deleted after `since` (any deleted, if None), for a chat poll
    to show as deleted. No query while nothing was deleted past `since`."""
    if thread.last_deleted_at is None or (since is not None and thread.last_deleted_at <= since):
        return []
    deleted = Message.objects.filter(thread=thread, deleted_at__isnull=False, pk__lte=up_to)
    if since is not None:
        deleted = deleted.filter(deleted_at__gt=since)
    return list(deleted.select_related("author").order_by("-deleted_at")[:PAGE_OF_MESSAGES])


def message_get(*, user: User, public_id) -> Message:
    return get_object_or_404(
        Message.objects.visible_to(user).select_related("thread"), public_id=public_id
    )


def attachment_get(*, user: User, public_id) -> Attachment:
    attachments = Attachment.objects.visible_to(user).filter(message__deleted_at__isnull=True)
    return get_object_or_404(attachments, public_id=public_id)


def _of_candidate(candidate: Candidate, prefix: str = "") -> Q:
    """A candidate's own rows and those of profiles merged into it."""
    return Q(**{f"{prefix}candidate": candidate}) | Q(
        **{f"{prefix}candidate__merged_into": candidate}
    )


def candidate_threads(*, user: User, candidate: Candidate) -> list[Thread]:
    """The candidate's agency threads, latest first: one, or one per agency of merged profiles."""
    threads = _with_read_marker(Thread.objects.visible_to(user), user).filter(
        _of_candidate(candidate), kind=Thread.Kind.CANDIDATE
    )
    threads = threads.annotate(unread=Q(last_message_id__gt=F("read_up_to")))
    return list(threads.select_related("agency").order_by("-last_message_at"))


def candidates_with_unread(*, user: User, candidate_ids: Iterable[int | None]) -> set[int]:
    """Which of these candidates have an agency thread the user sees and has not read to the end
    (their own or a merged profile's), for the unread dots of candidate lists: two queries a page,
    the profiles merged into them (usually none), then the threads by their candidate index."""
    ids = {pk for pk in candidate_ids if pk}
    if not ids:
        return set()
    survivor = dict(Candidate.objects.filter(merged_into__in=ids).values_list("pk", "merged_into"))
    survivor.update((pk, pk) for pk in ids)
    threads = _with_read_marker(Thread.objects.visible_to(user), user).filter(
        candidate__in=survivor,
        kind=Thread.Kind.CANDIDATE,
        last_message_id__gt=F("read_up_to"),
    )
    return {survivor[pk] for pk in threads.order_by().values_list("candidate_id", flat=True)}


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


def thread_agencies(*, user: User) -> QuerySet[Agency]:
    """The agencies a user may start a general thread with: a hiring manager only those working on
    their jobs now (SPEC, Decisions); everyone else every agency they see."""
    agencies = inbox_agencies(user=user)
    if user.role == Role.HIRING_MANAGER:
        working = JobAssignment.objects.active().filter(job__hiring_team=user)
        agencies = agencies.filter(pk__in=working.values("agency"))
    return agencies


def inbox_agency_choices(*, user: User) -> list[tuple[int, str]]:
    return list(inbox_agencies(user=user).values_list("pk", "name"))


def private_partners(*, user: User) -> QuerySet[User]:
    """Whom a user may open a private thread with.

    Employer users: any active agency user of an agency they may start a thread with (for a
    hiring manager, those working on their jobs). Agency users: the coordinators of jobs of
    candidates they can see, and anyone they already have a private thread with.
    """
    active = User.objects.filter(is_active=True)
    if user.is_employer:
        agency_users = active.filter(
            role__in=[Role.AGENCY_ADMIN, Role.AGENCY_RECRUITER],
            membership__agency__is_active=True,
            membership__agency__in=thread_agencies(user=user).values("pk"),
        )
        return agency_users.order_by("first_name", "last_name")
    if user.is_agency_user:
        coordinators = Candidate.objects.visible_to(user).values("applications__job__coordinator")
        earlier = Thread.objects.filter(kind=Thread.Kind.PRIVATE, agency_user=user).values(
            "employer_user"
        )
        return active.filter(Q(pk__in=coordinators) | Q(pk__in=earlier)).order_by(
            "first_name", "last_name"
        )
    return User.objects.none()
