import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Cast, Concat, Lower, LPad
from django.utils import timezone
from django_countries.fields import CountryField


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    AGENCY_ADMIN = "agency_admin", "Agency admin"
    AGENCY_RECRUITER = "agency_recruiter", "Agency recruiter"


EMPLOYER_ROLES = frozenset({Role.OWNER, Role.RECRUITER, Role.HIRING_MANAGER})
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_RECRUITER})


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Owners see everyone, agency admins their agency's users, anyone else only themselves."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_owner:
            return self
        # agencies.Membership, reached by its related name: this app may not import agencies.
        membership = getattr(user, "membership", None)
        if user.role == Role.AGENCY_ADMIN and membership is not None:
            return self.filter(membership__agency_id=membership.agency_id)
        return self.filter(pk=user.pk)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        return self.create_user(email, password, role=Role.OWNER, **fields)


class User(AbstractBaseUser):
    """A person who logs in. The role alone decides what they may do; Owners run the Django
    admin."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    country = CountryField(blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_employer(self) -> bool:
        return self.role in EMPLOYER_ROLES

    @property
    def is_agency_user(self) -> bool:
        return self.role in AGENCY_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def can_manage_jobs(self) -> bool:
        return self.role in (Role.OWNER, Role.RECRUITER)

    # The Django admin asks these; only active Owners get in, with every permission.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_owner

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_manage_jobs:
            return self
        if user.role == Role.HIRING_MANAGER:
            return self.filter(hiring_team=user)
        return self.none()


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"

    class Category(models.TextChoices):
        """EEO-1 job categories."""

        EXECUTIVES = "executives", "Executive/Senior Level Officials and Managers"
        MANAGERS = "managers", "First/Mid-Level Officials and Managers"
        PROFESSIONALS = "professionals", "Professionals"
        TECHNICIANS = "technicians", "Technicians"
        SALES = "sales", "Sales Workers"
        ADMIN_SUPPORT = "admin_support", "Administrative Support Workers"
        CRAFT = "craft", "Craft Workers"
        OPERATIVES = "operatives", "Operatives"
        LABORERS = "laborers", "Laborers and Helpers"
        SERVICE = "service", "Service Workers"

    class Function(models.TextChoices):
        ACCOUNTING = "accounting", "Accounting"
        ADMINISTRATIVE = "administrative", "Administrative"
        CUSTOMER_SERVICE = "customer_service", "Customer Service"
        DESIGN = "design", "Design"
        EDUCATION = "education", "Education"
        ENGINEERING = "engineering", "Engineering"
        FINANCE = "finance", "Finance"
        HEALTHCARE = "healthcare", "Healthcare"
        HUMAN_RESOURCES = "human_resources", "Human Resources"
        INFORMATION_TECHNOLOGY = "information_technology", "Information Technology"
        LEGAL = "legal", "Legal"
        LOGISTICS = "logistics", "Logistics"
        MANUFACTURING = "manufacturing", "Manufacturing"
        MARKETING = "marketing", "Marketing"
        OPERATIONS = "operations", "Operations"
        PRODUCT = "product", "Product Management"
        RESEARCH = "research", "Research"
        SALES = "sales", "Sales"
        OTHER = "other", "Other"

    class ExperienceLevel(models.TextChoices):
        INTERNSHIP = "internship", "Internship"
        ENTRY = "entry", "Entry Level"
        ASSOCIATE = "associate", "Associate"
        MID_SENIOR = "mid_senior", "Mid-Senior Level"
        DIRECTOR = "director", "Director"
        EXECUTIVE = "executive", "Executive"

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"
        CONTRACT = "contract", "Contract"
        TEMPORARY = "temporary", "Temporary"
        INTERN = "intern", "Intern"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.GeneratedField(
        expression=Concat(
            models.Value("REF-"), LPad(Cast("id", models.TextField()), 5, models.Value("0"))
        ),
        output_field=models.CharField(max_length=24),
        db_persist=True,
        verbose_name="REF number",
    )
    title = models.CharField(max_length=200)
    description = models.TextField("default ad")
    location = models.CharField(
        max_length=200, help_text="City or region, e.g. “Berlin” or “Remote (EU)”."
    )
    country = CountryField()
    category = models.CharField("job category", max_length=20, choices=Category.choices)
    function = models.CharField(max_length=30, choices=Function.choices)
    experience_level = models.CharField(max_length=20, choices=ExperienceLevel.choices)
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    hiring_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="team_jobs", blank=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinated_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint("ref", name="job_ref_unique")]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.title} ({self.ref})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice shown under the bell in either portal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active or not user.is_owner:
            return self.none()
        return self


class AuditEvent(models.Model):
    """Append-only record of who did what; the database refuses UPDATE and DELETE (see
    migration)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    actor_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    WITHHELD = "Text kept, not shown: private thread"

    @property
    def kept_text(self) -> str:
        """The text an event kept (a deleted message's), as Owners may read it: a private thread's
        stays withheld, since Owners only learn that a private thread exists (SPEC). An event
        without the `private_thread` marker predates it and is withheld too: it may be private."""
        if "body" not in self.data:
            return ""
        return self.WITHHELD if self.data.get("private_thread", True) else self.data["body"]


class PendingTask(models.Model):
    """A background task the broker did not take (Redis was down), kept until it can be sent.

    recruitment.celery.Task writes these instead of failing the request that queued the task;
    services.pending_tasks_publish sends them once the broker is back and deletes each row only
    after the broker took its message.
    """

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    eta = models.DateTimeField(null=True, blank=True, help_text="Run no earlier than this.")
    error = models.CharField(max_length=300, blank=True, help_text="Why the broker refused it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} {self.kwargs}"
