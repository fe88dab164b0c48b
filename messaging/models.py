import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.models import agency_id_of
from candidates.models import Application, Candidate
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
    """A conversation between the employer and one agency: about a candidate, general, or private."""

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
            # Inbox search (messaging.selectors.SUBJECT_WORDS): word beginnings of the subject.
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


# Texting candidates: SMS, WhatsApp and email in one conversation per application ---------------


class TextingPlan(models.Model):
    """How many texting seats the employer bought; one row (pk=1)."""

    seats = models.PositiveIntegerField(default=5)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="texting_plan_single_row")]

    def __str__(self):
        return f"{self.seats} texting seats"

    @classmethod
    def current(cls) -> "TextingPlan":
        plan, _created = cls.objects.get_or_create(pk=1)
        return plan


class Seat(models.Model):
    """A texting seat: its holder may send SMS and WhatsApp messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="texting_seat"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Seat of {self.user}"


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class SenderNumber(models.Model):
    """A number of the employer's pool that texts are sent from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20, unique=True, help_text="E.164")
    country = models.CharField(max_length=2)
    is_active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "number"]

    def __str__(self):
        return self.number


class Consent(models.TextChoices):
    NONE = "none", "No consent yet"
    CONSENTED = "consented", "Consented at submission"
    INVITED = "invited", "Invitation sent"
    OPTED_IN = "opted_in", "Opted in"
    OPTED_OUT = "opted_out", "Opted out"
    REVIEW = "review", "Asked to stop: needs review"


class TextContact(models.Model):
    """A candidate's phone number as the texting system knows it: sender, WhatsApp window, and the
    SMS consent of `candidate`, the person last asked or answering at this number. An opt-in
    holds for that person only, for every application of theirs: a number may pass to someone
    else. An opt-out holds for the number, whoever has it, until START from it (see seen_by)."""

    phone = models.CharField(max_length=20, unique=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Whose consent this is: the person last asked or answering at this number.",
    )  # fmt: skip
    sms_consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NONE)
    # Where a reviewer's "not a request to stop" leads: the state before the message, or what the
    # message would have done without its stop request (consent.state_if_not_a_stop).
    state_before_review = models.CharField(max_length=10, choices=Consent.choices, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    whatsapp_last_inbound_at = models.DateTimeField(null=True, blank=True)
    sender = models.ForeignKey(
        SenderNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Set by seen_by when the consent read was another person's: who, and what it was.
    passed_from: Candidate | None = None
    passed_from_state = ""

    def __str__(self):
        return f"{self.phone} ({self.get_sms_consent_display()})"

    def seen_by(self, candidate: Candidate) -> "TextContact":
        """The row as it holds for `candidate`, changed in memory only. Another person's consent,
        invitation or opt-in is not theirs: they start from their own consent at submission to
        this number. An opt-out, and a stop request waiting for review, hold for whoever has the
        number. The next consent change saved (an invitation, their answer) makes the number's
        consent theirs."""
        if self._is_of(candidate):
            return self
        self.passed_from, self.passed_from_state = self.candidate, self.sms_consent
        own = Consent.CONSENTED if self.consented_at_submission(candidate) else Consent.NONE
        if self.sms_consent == Consent.REVIEW:
            self.state_before_review = own
        elif self.sms_consent != Consent.OPTED_OUT:
            self.sms_consent, self.state_before_review = own, ""
        self.candidate, self.invited_at = candidate, None
        return self

    def consented_at_submission(self, candidate: Candidate) -> bool:
        return bool(candidate.text_consent_at) and candidate.phone == self.phone

    def _is_of(self, candidate: Candidate) -> bool:
        """The same person: the candidate, or a record of theirs merged into them since."""
        if self.candidate_id is None:
            return False
        return self.candidate_id == candidate.pk or self.candidate.merged_into_id == candidate.pk


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Employer side only: everyone who may see the application reads its texts."""
        if not user.is_authenticated or not user.is_employer:
            return self.none()
        # not mutated: Application.visible_to below refuses inactive users as well
        if not user.is_active:  # pragma: no mutate
            return self.none()
        return self.filter(application__in=Application.objects.visible_to(user))


class Conversation(models.Model):
    """Everything said between the hiring team and a candidate about one application."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        "candidates.Application", on_delete=models.CASCADE, related_name="conversation"
    )
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_id = models.BigIntegerField(default=0)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["-last_message_at", "-id"])]

    def __str__(self):
        return f"Conversation about {self.application}"


class ConversationMessage(models.Model):
    class Direction(models.TextChoices):
        OUTBOUND = "out", "To the candidate"
        INBOUND = "in", "From the candidate"
        EVENT = "event", "Event"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held until the candidate answers the WhatsApp invitation"
        CANCELLED = "cancelled", "Cancelled before it went out"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Unknown: the provider never confirmed"
        RECEIVED = "received", "Received"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    direction = models.CharField(max_length=5, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.CharField(max_length=300, blank=True)
    from_number = models.CharField(max_length=40, blank=True)
    to_number = models.CharField(max_length=40, blank=True)
    provider_sid = models.CharField(max_length=64, null=True, blank=True, unique=True)
    template = models.BooleanField(
        default=False, help_text="Sent as the approved WhatsApp invitation template."
    )
    invitation = models.BooleanField(
        default=False, help_text="The SMS asking the candidate to opt in."
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["status", "scheduled_for"]),
            models.Index(fields=["to_number", "id"]),  # routing a reply to the latest text
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.direction}: {self.body[:40]}"


class ConversationReadMarker(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_conversation_marker")
        ]

    def __str__(self):
        return f"{self.user} read up to {self.last_read_id}"
