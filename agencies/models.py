import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

from recruitment.models import AGENCY_ROLES, EMPLOYER_ROLES, Role


def agency_id_of(user) -> int | None:
    """The agency an agency user belongs to, or None (employer users, anonymous, no membership)."""
    membership = getattr(user, "membership", None)
    return membership.agency_id if membership is not None else None


def agency_scope(queryset, user):
    """Rows an agency user may see: their agency's for an admin, only their own submissions for a
    recruiter. The model needs `agency` and `submitted_by`; anyone else gets nothing."""
    agency_id = agency_id_of(user)
    if user.role == Role.AGENCY_ADMIN and agency_id:
        return queryset.filter(agency_id=agency_id)
    if user.role == Role.AGENCY_RECRUITER and agency_id:
        return queryset.filter(agency_id=agency_id, submitted_by=user)
    return queryset.none()


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_manage_jobs:
            return self
        if user.role == Role.HIRING_MANAGER:
            return self.filter(assignments__job__hiring_team=user).distinct()
        if user.is_agency_user and (agency_id := agency_id_of(user)):
            return self.filter(pk=agency_id)
        return self.none()


class Agency(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    country = CountryField(help_text="Default region for the phone numbers this agency enters.")
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="agency_name_ci_unique")
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """Ties an agency user to their agency; employer users have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} @ {self.agency}"


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_owner:
            return self
        if user.role == Role.AGENCY_ADMIN and (agency_id := agency_id_of(user)):
            return self.filter(agency_id=agency_id)
        return self.none()

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring invitation. Only the SHA-256 of the emailed token is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True, role__in=sorted(EMPLOYER_ROLES))
                | Q(agency__isnull=False, role__in=sorted(AGENCY_ROLES)),
                name="invitation_role_matches_agency",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who may read an assignment. A withdrawn one stays readable to its agency (SPEC: the
        agency keeps read access to what it submitted); what an agency may act on is active()."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_manage_jobs:
            return self
        if user.role == Role.HIRING_MANAGER:
            return self.filter(job__hiring_team=user)
        if user.is_agency_user and (agency_id := agency_id_of(user)):
            return self.filter(agency_id=agency_id)
        return self.none()

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class JobAssignment(models.Model):
    """A job sent to an agency ("Send to Agency"), with the instructions and terms that came with
    it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job = models.ForeignKey("recruitment.Job", on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    instructions = models.TextField(
        blank=True, help_text="Ideal candidate, salary range, seniority…"
    )
    fee_percent = models.DecimalField(
        "fee %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    guarantee_days = models.PositiveIntegerField(null=True, blank=True)
    max_submissions = models.PositiveIntegerField(
        "submission cap", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "agency"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_assignment_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(fee_percent__isnull=True) | Q(fee_percent__gte=0, fee_percent__lte=100),
                name="assignment_fee_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(max_submissions__isnull=True) | Q(max_submissions__gte=1),
                name="assignment_cap_positive",
            ),
        ]
        indexes = [models.Index(fields=["agency", "withdrawn_at"])]

    def __str__(self):
        return f"{self.job} → {self.agency}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
