from datetime import datetime, time

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Reverse, Upper
from django.db.models.lookups import Contains, IContains, StartsWith
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.models import Agency, JobAssignment, agency_id_of
from candidates import phones
from candidates.models import (
    Application,
    Candidate,
    CandidateNote,
    DuplicateRules,
    IdentityConflict,
    Resume,
    Stage,
    Submission,
)
from recruitment.db import AnyOf, planner_estimate
from recruitment.models import Job, User

Outcome = Submission.Outcome
FEW_PEOPLE = 3_000  # see _person_match


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


# Candidates --------------------------------------------------------------------------------


def candidate_get(*, user: User, public_id) -> Candidate:
    candidates = Candidate.objects.visible_to(user).select_related("agency", "submitted_by")
    return get_object_or_404(candidates, public_id=public_id)


def candidate_successor(*, user: User, public_id) -> Candidate | None:
    """Where a merged candidate's old link leads now, if the viewer may see it."""
    candidate = Candidate.objects.filter(public_id=public_id, merged_into__isnull=False).first()
    while candidate is not None and candidate.merged_into_id:
        candidate = candidate.merged_into
    if candidate is None:
        return None
    return Candidate.objects.visible_to(user).filter(pk=candidate.pk).first()


def candidate_applications(*, user: User, candidate: Candidate) -> QuerySet[Application]:
    return (
        Application.objects.visible_to(user)
        .filter(candidate=candidate)
        .select_related("job", "agency")
    )


def candidate_submissions(*, user: User, candidate: Candidate) -> QuerySet[Submission]:
    return (
        Submission.objects.visible_to(user)
        .filter(candidate=candidate)
        .select_related("agency", "submitted_by", "job")
    )


def candidate_resumes(*, user: User, candidate: Candidate) -> QuerySet[Resume]:
    """A merged record's resumes moved to the survivor: an agency's own stay in its sight."""
    records = [pk for pk in (candidate.pk, candidate.merged_into_id) if pk]
    return (
        Resume.objects.visible_to(user).filter(candidate__in=records).select_related("uploaded_by")
    )


def candidate_region(*, user: User, candidate: Candidate) -> str:
    """The country a phone typed without a code is read in: the agency's, else the job's."""
    if candidate.agency_id:
        return candidate.agency.country.code
    application = candidate_applications(user=user, candidate=candidate).first()
    return application.job.country.code if application else ""


def candidate_notes(*, user: User, candidate: Candidate) -> QuerySet[CandidateNote]:
    return (
        CandidateNote.objects.visible_to(user).filter(candidate=candidate).select_related("author")
    )


def _people_like(
    candidates: QuerySet[Candidate], *, first_name, last_name, email, phone
) -> QuerySet[Candidate]:
    """Those of `candidates` who may be this person: a close first and last name, or the same email
    or phone. Upper() matches the trigram index candidate_name_trgm; "%" also covers exact names."""
    same = Q(
        upper_first__trigram_similar=first_name.upper(),
        upper_last__trigram_similar=last_name.upper(),
    )
    if email:
        same |= Q(email=email)
    if phone:
        same |= Q(phone=phone)
    return candidates.annotate(
        upper_first=Upper("first_name"), upper_last=Upper("last_name")
    ).filter(same)


def similar_candidates(*, user: User, candidate: Candidate) -> QuerySet[Candidate]:
    """Other candidates who may be this person, for merging."""
    people = _people_like(
        Candidate.objects.visible_to(user),
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
    )
    return people.exclude(pk=candidate.pk).select_related("agency")[:10]


# People search (recruiters) ----------------------------------------------------------------


def potential_duplicates(submission: Submission) -> QuerySet[Candidate]:
    """Live candidates who may be the submitted person.
    Unscoped: the background scan and recruiters' search use it, never an agency view."""
    return _people_like(
        Candidate.objects.filter(merged_into__isnull=True),
        first_name=submission.first_name,
        last_name=submission.last_name,
        email=submission.email,
        phone=submission.phone,
    )


def name_match(text: str, person: str = "") -> Q:
    """Each word of `text` (up to four) in the first or last name of `person`, the path to a
    Candidate from the rows filtered ("" for candidates). Upper() matches candidate_name_trgm."""
    match = Q()
    for word in text.upper().split()[:4]:
        match &= Q(Contains(Upper(f"{person}first_name"), word)) | Q(
            Contains(Upper(f"{person}last_name"), word)
        )
    return match


def candidates_named(text: str) -> QuerySet[Candidate]:
    return Candidate.objects.filter(name_match(text))


def _person_filter(filters: dict, person: str) -> Q:
    """The name, email and phone filters on the Candidate at the path `person`."""
    match = name_match(filters.get("q", ""), person)
    if email := filters.get("email", "").strip().lower():
        match &= (
            Q(**{f"{person}email": email})
            if "@" in email
            else Q(**{f"{person}email__startswith": email})
        )
    if digits := phones.search_digits(filters.get("phone", "")):
        match &= Q(StartsWith(Reverse(f"{person}phone"), digits[::-1]))
    return match


def _person_match(*, user: User, filters: dict) -> Q:
    """The person filters (duplicates of, name, email, phone) on applications' candidates.

    People that few share are found by their ids: checking the candidate of each application,
    newest first, until a page is full would take a million / share checks (a name 2,000 of a
    million share: 13,000 checks, 17 ms; through its 2,000 ids, 7 ms). Commoner people are
    matched on the joined candidate, which fills a page after a few checks."""
    if submission_id := filters.get("duplicates_of"):
        submission = get_object_or_404(Submission.objects.visible_to(user), public_id=submission_id)
        return Q(candidate__in=potential_duplicates(submission).values("pk"))
    match = _person_filter(filters, "")
    if not match:
        return match
    people = Candidate.objects.filter(match)  # only narrows rows that stay visible_to(user)
    if planner_estimate(people) <= FEW_PEOPLE:
        ids = list(people.values_list("pk", flat=True)[: 2 * FEW_PEOPLE + 1])
        if len(ids) <= 2 * FEW_PEOPLE:  # else the estimate was far out: match on the join
            return Q(AnyOf(F("candidate"), ids))
    return _person_filter(filters, "candidate__")


def people_search(*, user: User, filters: dict) -> QuerySet[Application]:
    """One row per application, newest first. Every filter is index-backed."""
    rows = Application.objects.visible_to(user).select_related("candidate", "job", "agency")
    rows = rows.filter(_person_match(user=user, filters=filters))
    if job := filters.get("job"):
        rows = rows.filter(job=job)
    if agency := filters.get("agency"):
        rows = rows.filter(agency=agency)
    if stage := filters.get("stage"):
        rows = rows.filter(stage=stage)
    if day := filters.get("submitted_from"):
        rows = rows.filter(created_at__gte=_day_start(day))
    if day := filters.get("submitted_to"):
        rows = rows.filter(created_at__lte=_day_end(day))
    return rows.order_by("-created_at", "-id")


def _job_choices(jobs: QuerySet[Job]) -> list[tuple[int, str]]:
    """(id, "Title (REF)") for a job filter: plain values, no model per option."""
    rows = jobs.order_by("title").values_list("pk", "title", "ref")
    return [(pk, f"{title} ({ref})") for pk, title, ref in rows]


def search_job_choices(*, user: User) -> list[tuple[int, str]]:
    return _job_choices(Job.objects.visible_to(user))


def search_agency_choices(*, user: User) -> list[tuple[int, str]]:
    return list(Agency.objects.visible_to(user).order_by("name").values_list("pk", "name"))


def agency_names(*, user: User) -> list[tuple]:
    """(public id, name) of the agencies the viewer may see, for a filter."""
    return list(Agency.objects.visible_to(user).order_by("name").values_list("public_id", "name"))


def job_applications(*, user: User, job: Job) -> QuerySet[Application]:
    return (
        Application.objects.visible_to(user).filter(job=job).select_related("candidate", "agency")
    )


def job_stage_counts(*, user: User, job: Job) -> dict[str, int]:
    counts = dict(
        job_applications(user=user, job=job).order_by().values_list("stage").annotate(n=Count("id"))
    )
    return {label: counts.get(value, 0) for value, label in Stage.choices}


def application_get(*, user: User, public_id) -> Application:
    applications = Application.objects.visible_to(user).select_related("candidate", "job")
    return get_object_or_404(applications, public_id=public_id)


def applications_for_bulk(*, user: User) -> QuerySet[Application]:
    return Application.objects.visible_to(user)


# Agency side -------------------------------------------------------------------------------


def _places_used():
    """Per assignment, its agency's submissions that count against the cap: the New ones."""
    counted = Submission.objects.filter(
        job=OuterRef("job"), agency=OuterRef("agency"), outcome=Outcome.NEW
    )
    return Coalesce(
        Subquery(counted.order_by().values("job").annotate(n=Count("pk")).values("n")), 0
    )


def open_assignments(*, user: User) -> QuerySet[JobAssignment]:
    """Jobs this agency user may submit to: assigned to their agency, not withdrawn, open; with
    `places_used`, for the places left under a cap."""
    return (
        JobAssignment.objects.visible_to(user)
        .active()
        .filter(job__status=Job.Status.OPEN)
        .select_related("job")
        .annotate(places_used=_places_used())
        .order_by("job__title")
    )


def places_left(assignment: JobAssignment) -> int | None:
    """How many more New submissions the cap allows (None: no cap). Previously submitted,
    Duplicate and Blocked are not counted, so they take no place. The assignment was fetched
    through the viewer's scope; the count is of its own agency."""
    if assignment.max_submissions is None:
        return None
    used = getattr(assignment, "places_used", None)
    if used is None:
        used = Submission.objects.filter(
            job_id=assignment.job_id, agency_id=assignment.agency_id, outcome=Outcome.NEW
        ).count()
    return max(assignment.max_submissions - used, 0)


def submission_get(*, user: User, public_id) -> Submission:
    submissions = Submission.objects.visible_to(user).select_related(
        "job", "agency", "submitted_by", "application", "identity_conflict"
    )
    return get_object_or_404(submissions, public_id=public_id)


def own_candidate_of(*, user: User, submission: Submission) -> Candidate | None:
    """The agency's own record of the person behind a submission, if the viewer may see it: the
    candidate, or the agency's record that was merged into them (perhaps into another agency's,
    which stays out of sight). None while the submission is held for a recruiter's decision."""
    if submission.candidate_id is None or submission.is_held:
        return None
    records = Candidate.objects.visible_to(user).filter(
        Q(pk=submission.candidate_id) | Q(merged_into=submission.candidate_id)
    )
    return records.order_by(F("merged_into").asc(nulls_first=True), "created_at").first()


def dashboard_submissions(*, user: User, pool: bool, filters: dict) -> QuerySet[Submission]:
    """My Candidates (pool=False: the user's own) or the Agency Pool (every submission of the
    agency)."""
    rows = _searched(_dashboard_rows(user=user, pool=pool, filters=filters), filters)
    return rows.select_related("job", "submitted_by", "application").order_by("-created_at", "-id")


def _dashboard_rows(*, user: User, pool: bool, filters: dict) -> QuerySet[Submission]:
    """The submissions a dashboard's filters choose, but for the search (_searched): its list and
    its figures both count these."""
    rows = Submission.objects.visible_to(user)
    if not pool:
        rows = rows.filter(submitted_by=user)
    rows = _in_period(rows, filters)
    if job := filters.get("job"):
        rows = rows.filter(job=job)
    return _with_status(rows, filters.get("status"))


def _searched(rows: QuerySet[Submission], filters: dict, *, by_index: bool = True):
    """The rows whose name, email or phone contains the search text.

    by_index=False makes the same comparisons on expressions that submission_search_trgm does not
    cover (the column concatenated with ""), so that PostgreSQL checks the rows the other filters
    chose instead of reading the index's list of every submission that contains the text."""
    if not (q := filters.get("q", "").strip()):
        return rows

    def text(column: str):
        return F(column) if by_index else Concat(column, Value(""))

    match = Q(IContains(text("first_name"), q)) | Q(IContains(text("last_name"), q))
    match |= Q(IContains(text("email"), q.lower()))
    if len(digits := phones.search_digits(q)) >= 4:
        match |= Q(Contains(text("phone"), digits))
    return rows.filter(match)


def _in_period(rows, filters):
    if day := filters.get("period_from"):
        rows = rows.filter(created_at__gte=_day_start(day))
    if day := filters.get("period_to"):
        rows = rows.filter(created_at__lte=_day_end(day))
    return rows


def _with_status(rows, status: str | None):
    owned = Q(outcome__in=[Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED])
    match status:
        case "active":
            return rows.filter(owned).exclude(application__stage__in=[Stage.HIRED, Stage.REJECTED])
        case "hired":
            return rows.filter(owned, application__stage=Stage.HIRED)
        case "rejected":
            return rows.filter(owned, application__stage=Stage.REJECTED)
        case "duplicate":
            return rows.filter(outcome=Outcome.DUPLICATE)
        case "blocked":
            return rows.filter(outcome=Outcome.BLOCKED)
    return rows


FEW_PERIOD_ROWS = 20_000  # see dashboard_metrics


def dashboard_metrics(*, user: User, pool: bool, filters: dict) -> dict[str, int]:
    """Added / Previously submitted / Duplicate / Blocked of the submissions the filters choose
    (search, status, job and period, as the list), in one query.

    The list stops at a page of rows; a count reads every match. The trigram index lists every
    submission that contains the text, of every agency and year: at 1M rows, Smith takes 51 ms
    through it, 18 ms by checking the biggest agency's 10,000 rows of 30 days one by one. So the
    search goes through the index only when PostgreSQL expects the other filters to keep more
    than FEW_PERIOD_ROWS (a misspelt name then costs 16 ms instead of 1; asking PostgreSQL how
    many rows the search matches costs 3-8 ms more on every search)."""
    rows = _dashboard_rows(user=user, pool=pool, filters=filters)
    if filters.get("q", "").strip():
        by_index = planner_estimate(rows) > FEW_PERIOD_ROWS
        rows = _searched(rows, filters, by_index=by_index)
    # Counting "outcome" (not "id") lets PostgreSQL answer from the (agency, outcome, …) indexes
    # alone when only the period is chosen.
    return rows.aggregate(
        added=Count("outcome", filter=Q(outcome=Outcome.NEW)),
        previously_submitted=Count("outcome", filter=Q(outcome=Outcome.PREVIOUSLY_SUBMITTED)),
        duplicate=Count("outcome", filter=Q(outcome=Outcome.DUPLICATE)),
        blocked=Count("outcome", filter=Q(outcome=Outcome.BLOCKED)),
    )


def resume_get(*, user: User, public_id) -> Resume:
    return get_object_or_404(Resume.objects.visible_to(user), public_id=public_id)


def dashboard_job_choices(*, user: User) -> list[tuple[int, str]]:
    """Jobs ever assigned to the agency, for the dashboard's job filter (withdrawn ones included:
    the agency keeps seeing what it submitted to them)."""
    job_ids = JobAssignment.objects.filter(agency_id=agency_id_of(user)).values("job_id")
    return _job_choices(Job.objects.filter(pk__in=job_ids))


def duplicate_rules(*, user: User):
    if not user.is_owner:
        raise Http404
    return DuplicateRules.current()


# Identity questions (recruiters) -----------------------------------------------------------


def identity_conflicts(*, user: User, resolved: bool = False) -> QuerySet[IdentityConflict]:
    """Open cases, oldest first (the longest waiting); or resolved ones, latest first."""
    cases = IdentityConflict.objects.visible_to(user)
    if resolved:
        cases = cases.exclude(status=IdentityConflict.Status.OPEN).order_by("-resolved_at", "-id")
    else:
        cases = cases.open().order_by("created_at", "id")
    return cases.select_related(
        "submission__job", "submission__submitted_by", "agency", "candidate__agency"
    )


def identity_conflict_get(*, user: User, public_id) -> IdentityConflict:
    cases = IdentityConflict.objects.visible_to(user).select_related(
        "submission__job",
        "submission__submitted_by",
        "submission__candidate",
        "agency",
        "candidate__agency",
        "candidate__submitted_by",
        "resolved_by",
    )
    return get_object_or_404(cases, public_id=public_id)


def open_identity_conflict_count(*, user: User) -> int:
    return IdentityConflict.objects.visible_to(user).open().count()


def candidate_identity_conflicts(*, user: User, candidate: Candidate):
    """Open cases where this candidate is the person known by the email or phone given."""
    cases = IdentityConflict.objects.visible_to(user).open().filter(candidate=candidate)
    return cases.select_related("submission__job", "agency")
