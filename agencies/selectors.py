from datetime import datetime, time

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.models import Agency, Invitation, JobAssignment, agency_id_of
from recruitment.models import AuditEvent, Job, Role, User

EMPLOYER = "employer"  # the agency filter's value for the employer's own staff


def agency_list(*, user: User, q: str = "") -> QuerySet[Agency]:
    agencies = (
        Agency.objects.visible_to(user)
        .order_by("name")
        .annotate(
            active_jobs=Count(
                "assignments", filter=Q(assignments__withdrawn_at__isnull=True), distinct=True
            ),
            user_count=Count("memberships", distinct=True),
        )
    )
    if q := q.strip():
        agencies = agencies.filter(name__icontains=q)
    return agencies


def agency_get(*, user: User, public_id) -> Agency:
    return get_object_or_404(Agency.objects.visible_to(user), public_id=public_id)


def agencies_for_sending(*, user: User, job: Job) -> list[Agency]:
    """Active agencies, those this employer used before first (most recent first), then by name."""
    agencies = (
        Agency.objects.visible_to(user)
        .filter(is_active=True)
        .annotate(
            last_used=Max("assignments__assigned_at"),
            already_assigned=Count(
                "assignments",
                filter=Q(assignments__job=job, assignments__withdrawn_at__isnull=True),
            ),
        )
    )
    return sorted(
        agencies,
        key=lambda a: (
            a.last_used is None,
            -(a.last_used.timestamp() if a.last_used else 0),
            a.name.lower(),
        ),
    )


def assignment_list_for_job(*, user: User, job: Job) -> QuerySet[JobAssignment]:
    return (
        JobAssignment.objects.visible_to(user)
        .filter(job=job)
        .select_related("agency", "assigned_by", "withdrawn_by")
        .order_by("withdrawn_at", "-assigned_at")
    )


def assignment_get(*, user: User, public_id) -> JobAssignment:
    assignments = JobAssignment.objects.visible_to(user).select_related(
        "job", "agency", "job__coordinator"
    )
    return get_object_or_404(assignments, public_id=public_id)


def portal_assignment_list(*, user: User, q: str = "") -> QuerySet[JobAssignment]:
    assignments = (
        JobAssignment.objects.visible_to(user)
        .active()
        .filter(job__status=Job.Status.OPEN)
        .select_related("job")
        .order_by("-assigned_at")
    )
    if q := q.strip():
        assignments = assignments.filter(
            Q(job__title__icontains=q)
            | Q(job__ref__iexact=q)
            | Q(job__location__icontains=q)
            | Q(instructions__icontains=q)
        )
    return assignments


def agency_users(*, user: User, agency: Agency | None = None) -> QuerySet[User]:
    """The users of an agency the viewer may see: Owners any agency's, agency admins only their
    own."""
    if user.is_owner and agency is not None:
        return User.objects.filter(membership__agency=agency).order_by("first_name", "last_name")
    if user.role == Role.AGENCY_ADMIN and (agency_id := agency_id_of(user)):
        return User.objects.filter(membership__agency_id=agency_id).order_by(
            "first_name", "last_name"
        )
    return User.objects.none()


def invitation_list(*, user: User, agency: Agency | None = None) -> QuerySet[Invitation]:
    invitations = Invitation.objects.visible_to(user).select_related("invited_by", "agency")
    return invitations.filter(agency=agency) if agency is not None else invitations


def invitation_get(*, user: User, public_id) -> Invitation:
    return get_object_or_404(Invitation.objects.visible_to(user), public_id=public_id)


def assignment_list_for_agency(*, user: User, agency: Agency) -> QuerySet[JobAssignment]:
    return (
        JobAssignment.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("job", "assigned_by")
        .order_by("withdrawn_at", "-assigned_at")
    )


def own_agency(*, user: User) -> Agency:
    return get_object_or_404(Agency.objects.visible_to(user), pk=agency_id_of(user))


# User management ---------------------------------------------------------------------------


def user_list(*, user: User, filters: dict) -> QuerySet[User]:
    users = (
        User.objects.visible_to(user)
        .select_related("membership__agency")
        .order_by("first_name", "last_name", "email")
    )
    users = _named(users, filters.get("q", ""))
    if agency := filters.get("agency"):
        users = (
            users.filter(membership__isnull=True)
            if agency == EMPLOYER
            else users.filter(membership__agency__public_id=agency)
        )
    if country := filters.get("country"):
        users = users.filter(country=country)
    if role := filters.get("role"):
        users = users.filter(role=role)
    if status := filters.get("status"):
        users = users.filter(is_active=status == "active")
    return users


def _named(users: QuerySet[User], text: str) -> QuerySet[User]:
    """Users whose first name, last name or email contains each word of `text`."""
    for word in text.split()[:4]:
        users = users.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return users


def user_get(*, user: User, public_id) -> User:
    users = User.objects.visible_to(user).select_related("membership__agency")
    return get_object_or_404(users, public_id=public_id)


def user_countries(*, user: User) -> list[str]:
    """The countries the viewer's users are in, for the country filter."""
    users = User.objects.visible_to(user).exclude(country="").order_by("country")
    return list(users.values_list("country", flat=True).distinct())


def agency_choices(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user).order_by("name")


# Audit log ---------------------------------------------------------------------------------


def audit_event_list(*, user: User, filters: dict) -> QuerySet[AuditEvent]:
    """Newest first, with the agency's name; each filter narrows an indexed column where it can."""
    agency_name = Agency.objects.filter(pk=OuterRef("agency_id")).values("name")[:1]
    events = (
        AuditEvent.objects.visible_to(user)
        .annotate(agency_name=Subquery(agency_name))
        .order_by("-created_at", "-id")
    )
    if action := filters.get("action"):
        events = events.filter(action=action)
    if actor := filters.get("actor", "").strip():
        events = events.filter(actor__in=_named(User.objects.visible_to(user), actor).values("pk"))
    if agency := filters.get("agency"):
        events = events.filter(agency_id=agency.pk)
    if day := filters.get("date_from"):
        events = events.filter(created_at__gte=timezone.make_aware(datetime.combine(day, time.min)))
    if day := filters.get("date_to"):
        events = events.filter(created_at__lte=timezone.make_aware(datetime.combine(day, time.max)))
    if q := filters.get("q", "").strip():
        events = events.filter(summary__icontains=q)
    return events


def audit_actions(*, user: User) -> list[str]:
    """Every action recorded so far, for the action filter.

    A plain DISTINCT reads the whole action index, which grows with the log; this "loose index
    scan" jumps from one action to the next, so it costs one index probe per distinct action.
    """
    if not AuditEvent.objects.visible_to(user).exists():
        return []
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE actions(action) AS (
                (SELECT action FROM {table} ORDER BY action LIMIT 1)
                UNION ALL
                SELECT (
                    SELECT action FROM {table} WHERE action > actions.action
                    ORDER BY action LIMIT 1
                )
                FROM actions WHERE actions.action IS NOT NULL
            )
            SELECT action FROM actions WHERE action IS NOT NULL"""
        )
        return [action for (action,) in cursor.fetchall()]
