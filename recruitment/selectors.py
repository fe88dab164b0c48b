from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from recruitment.models import EMPLOYER_ROLES, Job, Notification, User


def get_from_input_or_404(queryset: QuerySet, **lookups):
    """get_object_or_404 for ids a form or query string sent, which may not be ids at all: a
    malformed UUID answers 404 like an unknown one (URL converters check the ids in paths)."""
    try:
        return get_object_or_404(queryset, **lookups)
    except ValidationError as exc:
        raise Http404 from exc


def job_list(*, user: User, filters: dict | None = None) -> QuerySet[Job]:
    filters = filters or {}
    jobs = (
        Job.objects.visible_to(user)
        .select_related("coordinator")
        .annotate(
            agency_count=Count("assignments", filter=Q(assignments__withdrawn_at__isnull=True))
        )
        .order_by("-created_at", "-id")
    )
    if q := filters.get("q", "").strip():
        jobs = jobs.filter(Q(title__icontains=q) | Q(ref__iexact=q) | Q(location__icontains=q))
    for field in (
        "status",
        "category",
        "function",
        "experience_level",
        "employment_type",
        "country",
    ):
        if value := filters.get(field):
            jobs = jobs.filter(**{field: value})
    return jobs


def job_get(*, user: User, public_id) -> Job:
    jobs = (
        Job.objects.visible_to(user)
        .select_related("coordinator", "created_by")
        .prefetch_related("hiring_team")
    )
    return get_object_or_404(jobs, public_id=public_id)


def employer_users(*, user: User) -> QuerySet[User]:
    """People who can sit on a hiring team, for employer users' pickers."""
    if not user.is_employer:
        return User.objects.none()
    return User.objects.filter(role__in=EMPLOYER_ROLES, is_active=True).order_by(
        "first_name", "last_name"
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user)


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()


def notification_get(*, user: User, public_id) -> Notification:
    return get_object_or_404(Notification.objects.visible_to(user), public_id=public_id)
