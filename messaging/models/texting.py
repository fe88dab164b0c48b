"""Texting candidates: SMS, WhatsApp and email in one conversation per application; the seats,
the sender numbers, and each number's consent."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from candidates.models import Application, Candidate


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
        Candidate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose consent this is: the person last asked or answering at this number.",
    )
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
