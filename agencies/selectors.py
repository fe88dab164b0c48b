from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from agencies.models import Agency, Invitation, JobAssignment, agency_id_of
from recruitment.models import Job, Role, User


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
    """The users of an agency the viewer may see: Owners any agency's, agency admins only their own."""
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
