import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Reverse, Upper
from django.utils import timezone

from agencies.models import agency_id_of, agency_scope
from recruitment.models import Role


class DuplicateRules(models.Model):
    """The Owner's duplicate rules; one row (pk=1), read with DuplicateRules.current()."""

    class Scope(models.TextChoices):
        ANY_JOB = "any_job", "Any job: a person belongs to one agency across all jobs"
        SAME_JOB = (
            "same_job",
            "Same job only: agencies may present the same person for different jobs",
        )

    window_days = models.PositiveIntegerField(
        default=183,
        help_text="How long a submission's claim on a person lasts (6 months by default).",
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ANY_JOB)
    block_when_hired = models.BooleanField(
        default=True, help_text="Refuse a submission of someone hired within the window."
    )
    block_when_in_process = models.BooleanField(
        default=False, help_text="Refuse a submission of someone in review, interview or offer."
    )
    release_on_rejection = models.BooleanField(
        default=False,
        help_text="A rejected candidate's claim ends, so another agency may present them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "duplicate rules"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="duplicate_rules_single_row")]

    def __str__(self):
        return f"Duplicate rules ({self.window_days} days, {self.get_scope_display()})"

    @classmethod
    def current(cls) -> "DuplicateRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


class Stage(models.TextChoices):
    LEAD = "lead", "Lead"
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    INTERVIEW = "interview", "Interview"
    OFFERED = "offered", "Offered"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"


IN_PROCESS_STAGES = (Stage.IN_REVIEW, Stage.INTERVIEW, Stage.OFFERED)


def agency_status(stage: str) -> str:
    """What an agency sees of an employer stage: Active, Hired or Rejected."""
    return {Stage.HIRED: "Hired", Stage.REJECTED: "Rejected"}.get(stage, "Active")


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        live = self.filter(merged_into__isnull=True)
        if user.can_manage_jobs:
            return live
        if user.role == Role.HIRING_MANAGER:
            return live.filter(applications__job__hiring_team=user).distinct()
        # An agency keeps its own record of a person merged into another record (perhaps another
        # agency's, which stays out of sight): its submission pages and thread lead through it.
        return agency_scope(self, user)


class Candidate(models.Model):
    """A person as the employer knows them, owned by the agency that first presented them."""

    class Source(models.TextChoices):
        AGENCY_PORTAL = "agency_portal", "Agency portal"
        DIRECT = "direct", "Direct"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.AGENCY_PORTAL)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("submitted at", default=timezone.now)
    ownership_ends_at = models.DateTimeField(null=True, blank=True)
    text_consent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the candidate agreed to be texted about their application.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at"]),
            models.Index(fields=["-created_at"]),
            # Equality and prefix search on normalised (lower-case) emails.
            models.Index(
                fields=["email"], opclasses=["varchar_pattern_ops"], name="candidate_email_pattern"
            ),
            models.Index(fields=["phone"]),
            # People search matches a phone number's end (national and international forms
            # agree on it): a prefix search on the reversed number.
            models.Index(
                OpClass(Reverse("phone"), name="text_pattern_ops"), name="candidate_phone_reversed"
            ),
            GinIndex(
                OpClass(Upper("last_name"), name="gin_trgm_ops"),
                OpClass(Upper("first_name"), name="gin_trgm_ops"),
                name="candidate_name_trgm",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def of_own_people(queryset, user):
    """An agency user's rows (those with the agency column copied down) about the people they may
    see: on the agency's own record, or on the record it was merged into. The agency column keeps
    out what another agency brought to that record."""
    agency_id = agency_id_of(user)
    if agency_id is None:
        return queryset.none()
    records = Candidate.objects.visible_to(user)
    survivors = Candidate.objects.filter(merged_from__in=records)
    return queryset.filter(agency_id=agency_id).filter(
        Q(candidate__in=records) | Q(candidate__in=survivors)
    )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_agency_user:
            return of_own_people(self, user)
        visible = self.filter(candidate__in=Candidate.objects.visible_to(user))
        if user.is_authenticated and user.role == Role.HIRING_MANAGER:
            # A candidate of their job may have applied elsewhere: that job's stage, reason and
            # conversation are its own team's (SPEC: "those jobs' candidates and threads").
            return visible.filter(job__hiring_team=user)
        return visible


class Application(models.Model):
    """A candidate on a job, with the employer's stage."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(
        "recruitment.Job", on_delete=models.PROTECT, related_name="applications"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.LEAD)
    rejection_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"]),  # people search, newest first
            models.Index(fields=["job", "stage"]),
            models.Index(fields=["agency", "stage"]),
            models.Index(fields=["candidate", "job"]),
            # Sourcing analytics read a period of an agency's applications from the index alone.
            models.Index(
                fields=["agency", "created_at"],
                include=["job", "stage", "stage_changed_at"],
                name="application_sourcing",
            ),
            # The dashboards' status filters read the stage of each submission's application from
            # this index alone (the biggest agency's "Active" figures at 1M rows: 180 -> 18 ms).
            models.Index(fields=["id"], include=["stage"], name="application_stage_by_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.REJECTED) | ~Q(rejection_reason=""),
                name="rejection_needs_reason",
                violation_error_message="Give a reason for the rejection.",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} for {self.job}"

    @property
    def agency_status(self) -> str:
        return agency_status(self.stage)

    @property
    def stage_color(self) -> str:
        """The badge colour of the stage: done (green), out (red), not yet looked at (gray), in
        process (blue)."""
        return {
            Stage.HIRED: "green",
            Stage.REJECTED: "red",
            Stage.LEAD: "gray",
            Stage.NEW: "gray",
        }.get(self.stage, "blue")


class IdentityClaim(models.Model):
    """One row per normalised email or phone a live candidate holds.

    The unique constraint is what decides a race: of many concurrent submissions of one person,
    exactly one inserts the claim; the others find it taken.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    job = models.ForeignKey(
        "recruitment.Job",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Set when the duplicate scope is 'same job only'.",
        db_index=False,
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="claims")
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "job"], name="one_claim_per_identity", nulls_distinct=False
            )
        ]
        # Most claims hold for every job (job is NULL): they need not be written to this index.
        indexes = [
            models.Index(fields=["job"], condition=Q(job__isnull=False), name="claim_job"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.value}"


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_manage_jobs:
            return self
        if user.role == Role.HIRING_MANAGER:
            return self.filter(job__hiring_team=user)
        return agency_scope(self, user)


class Submission(models.Model):
    """One agency user's attempt to present a person for a job, and what the system decided."""

    class Outcome(models.TextChoices):
        NEW = "new", "New"
        PREVIOUSLY_SUBMITTED = "previously_submitted", "Previously submitted"
        DUPLICATE = "duplicate", "Duplicate"
        BLOCKED = "blocked", "Blocked by duplicate rules"

    class Confirmation(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked"
        PENDING = "pending", "Awaiting answer"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    job = models.ForeignKey("recruitment.Job", on_delete=models.PROTECT, related_name="submissions")
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    note = models.TextField("note to the recruiter", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=300)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmation = models.CharField(
        max_length=10, choices=Confirmation.choices, default=Confirmation.NOT_ASKED
    )
    confirmation_expires_at = models.DateTimeField(null=True, blank=True)
    confirmation_answered_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The dashboards' order, to the last key, so a page of rows is read straight off it.
            models.Index(fields=["agency", "-created_at", "-id"], name="submission_pool_recent"),
            # My Candidates: a page of rows, and the period metrics from the index alone.
            models.Index(
                fields=["agency", "submitted_by", "-created_at", "-id"],
                include=["outcome"],
                name="submission_mine_recent",
            ),
            models.Index(fields=["job", "agency", "outcome"]),
            # Dashboard metrics count outcomes from these alone (index-only scans).
            models.Index(fields=["agency", "outcome", "created_at"]),
            models.Index(fields=["agency", "submitted_by", "outcome", "created_at"]),
            # The dashboards' search (icontains: UPPER(column::text) LIKE '%TEXT%'; phone digits),
            # so a rare or misspelt name is not looked for in every row of a large agency.
            GinIndex(
                OpClass(Upper("first_name"), name="gin_trgm_ops"),
                OpClass(Upper("last_name"), name="gin_trgm_ops"),
                OpClass(Upper("email"), name="gin_trgm_ops"),
                OpClass("phone", name="gin_trgm_ops"),
                name="submission_search_trgm",
            ),
            # Sourcing analytics read a period of an agency's submissions from the index alone.
            models.Index(
                fields=["agency", "created_at"],
                include=["job", "outcome"],
                name="submission_sourcing",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} → {self.job} ({self.outcome})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_counted(self) -> bool:
        return self.outcome == self.Outcome.NEW

    @property
    def is_held(self) -> bool:
        """Confirmed with a known person's email or phone under another name: until a recruiter
        decides, nothing of the submission is filed under that person."""
        conflict = getattr(self, "identity_conflict", None)
        return conflict is not None and conflict.status == IdentityConflict.Status.OPEN

    @property
    def confirmation_display(self) -> str:
        expired = self.confirmation_expires_at and self.confirmation_expires_at <= timezone.now()
        if self.confirmation == self.Confirmation.PENDING and expired:
            return "No answer"
        return self.get_confirmation_display()


class IdentityConflictQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Owners and recruiters, who resolve them; never an agency (the case names the person
        already known), nor a hiring manager."""
        if not user.is_authenticated or not user.is_active or not user.can_manage_jobs:
            return self.none()
        return self

    def open(self):
        return self.filter(status=IdentityConflict.Status.OPEN)


class IdentityConflict(models.Model):
    """An agency confirmed an email or phone that belongs to a known person under another name.
    The submission is decided as usual but held apart from that person until a recruiter says
    whether they are the same person."""

    class Status(models.TextChoices):
        OPEN = "open", "To resolve"
        SAME_PERSON = "same_person", "Same person"
        DIFFERENT_PEOPLE = "different_people", "Different people"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="identity_conflict"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.PROTECT,
        related_name="identity_conflicts",
        help_text="The person already known by this email or phone.",
    )
    kind = models.CharField(max_length=5, choices=IdentityClaim.Kind.choices)
    value = models.CharField(max_length=254)
    known_name = models.CharField(max_length=301, help_text="The known person's name at the time.")
    reason = models.CharField(max_length=300, help_text="The outcome's reason once the hold ends.")
    resume = models.FileField(upload_to="held/%Y/%m/", blank=True)
    resume_name = models.CharField(max_length=255, blank=True)
    text_consent = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    note = models.CharField("resolution note", max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdentityConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | (~Q(status="open") & Q(resolved_at__isnull=False)),
                name="identity_conflict_resolved_at",
            )
        ]

    def __str__(self):
        return f"{self.submitted_name} / {self.known_name} ({self.get_kind_display().lower()})"

    @property
    def submitted_name(self) -> str:
        return self.submission.full_name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def what(self) -> str:
        return "email address" if self.kind == IdentityClaim.Kind.EMAIL else "phone number"


class ResumeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_agency_user:
            return of_own_people(self, user)
        return self.filter(candidate__in=Candidate.objects.visible_to(user))


class Resume(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PARSING = "parsing", "Reading the resume"
        PARSED = "parsed", "Parsed"
        FAILED = "failed", "Could not be read"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="resumes")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="resumes/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=300, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    parsed_name = models.CharField(max_length=300, blank=True)
    parsed_email = models.CharField(max_length=254, blank=True)
    parsed_phone = models.CharField(max_length=20, blank=True)
    summary = models.TextField(blank=True)
    education_summary = models.TextField(blank=True)
    experience = models.JSONField(default=list, blank=True)
    education = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)

    objects = ResumeQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.PARSED, self.Status.FAILED)

    @property
    def recognised_anything(self) -> bool:
        return any(
            (
                self.summary,
                self.experience,
                self.education,
                self.education_summary,
                self.skills,
                self.languages,
            )
        )


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_employer:
            return self.none()
        return self.filter(candidate__in=Candidate.objects.visible_to(user))


class CandidateNote(models.Model):
    """A recruiter-only note: agencies never see these."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.body[:60]


class CandidateMerge(models.Model):
    """The record of two candidate records becoming one; the merged one stays, pointing here."""

    into = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="merges")
    merged = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="merged_record")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(
        help_text="The merged candidate's details at the time of the merge."
    )

    def __str__(self):
        return f"{self.merged} → {self.into}"
