"""Agency threads: the employer and an agency talking about a candidate, in general, or in
private; their messages, attachments and read markers."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.models import agency_id_of
from candidates.models import Candidate
from recruitment.models import Role


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Candidate threads: the employer people who may see the candidate; on the agency side its
        admins and the user who submitted the candidate. General threads: the employer's
        recruiters, the hiring manager who started one, and the agency's users. Private threads:
        their two participants only."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        private = Q(kind=Thread.Kind.PRIVATE) & (Q(employer_user=user) | Q(agency_user=user))
        candidate = Q(kind=Thread.Kind.CANDIDATE)
        if user.can_manage_jobs:  # every candidate: no need to list them in a subquery
            return self.filter(private | ~Q(kind=Thread.Kind.PRIVATE))
        if user.role == Role.HIRING_MANAGER:
            # A merged profile's thread stays with the profile it was merged into.
            visible = Candidate.objects.visible_to(user)
            return self.filter(
                private
                | candidate & (Q(candidate__in=visible) | Q(candidate__merged_into__in=visible))
                | Q(kind=Thread.Kind.GENERAL, created_by=user)
            )
        agency_id = agency_id_of(user)
        if user.role == Role.AGENCY_ADMIN and agency_id:
            return self.filter(agency_id=agency_id).filter(private | ~Q(kind=Thread.Kind.PRIVATE))
        # not mutated: "and" -> "or" cannot differ here, as every other role has returned above
        if user.role == Role.AGENCY_RECRUITER and agency_id:  # pragma: no mutate
            own_candidates = candidate & Q(candidate__submitted_by=user)
            return self.filter(agency_id=agency_id).filter(
                private | own_candidates | Q(kind=Thread.Kind.GENERAL)
            )
        return self.none()


class Thread(models.Model):
    """A conversation between the employer and one agency: about a candidate, general, or
    private."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        GENERAL = "general", "General"
        PRIVATE = "private", "Private"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="threads")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    subject = models.CharField(max_length=200, blank=True)
    employer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_id = models.BigIntegerField(default=0)
    # When a message of the thread was last deleted: chat polls ask for deletions only past it.
    last_deleted_at = models.DateTimeField(null=True, blank=True)
    # When the email about the burst of messages since the last one is due (beat sends it).
    notify_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["-last_message_at", "-id"]),
            models.Index(fields=["agency", "-last_message_at"]),
            models.Index(fields=["candidate"]),
            # Inbox search (selectors/threads.py, SUBJECT_WORDS): word beginnings of the subject.
            GinIndex(SearchVector("subject", config="simple"), name="thread_subject_search"),
            models.Index(
                fields=["notify_due_at"],
                condition=Q(notify_due_at__isnull=False),
                name="thread_notify_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="candidate") & Q(candidate__isnull=False))
                | (Q(kind="general") & Q(candidate__isnull=True))
                | (Q(kind="private") & Q(employer_user__isnull=False, agency_user__isnull=False)),
                name="thread_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["candidate", "agency"],
                condition=Q(kind="candidate"),
                name="one_thread_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["employer_user", "agency_user"],
                condition=Q(kind="private"),
                name="one_private_thread_per_pair",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.kind == self.Kind.CANDIDATE:
            return str(self.candidate)
        if self.kind == self.Kind.PRIVATE:
            return f"{self.employer_user} ↔ {self.agency_user}"
        return self.subject or f"{self.agency}"


class InThreadQuerySet(models.QuerySet):
    """Rows that belong to a thread (messages, attachments) are visible with their thread."""

    def visible_to(self, user):
        return self.filter(thread__in=Thread.objects.visible_to(user))


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    search = models.GeneratedField(
        expression=SearchVector("body", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = InThreadQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["thread", "id"]),
            GinIndex(fields=["search"], name="message_search"),
            models.Index(
                fields=["thread", "deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="message_deleted",
            ),
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()

    objects = InThreadQuerySet.as_manager()

    def __str__(self):
        return self.name


class ReadMarker(models.Model):
    """How far a person has read a thread, and how far they have been emailed about."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    last_notified_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_marker_per_reader")
        ]

    def __str__(self):
        return f"{self.user} read {self.thread} up to {self.last_read_id}"
