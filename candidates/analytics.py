"""Sourcing analytics: how each agency's submissions fare, per agency and per job, over a period.

Every figure is an aggregate computed by PostgreSQL (COUNT … FILTER, SUM of intervals), three
grouped queries per table whatever the number of rows; Python only merges the grouped rows (one
per agency or job), adds them up for the total and divides. Everything counts against the day it
started, so that one period describes one cohort:

- Submissions: every submission made in the period, whatever its outcome, split into New /
  Previously submitted / Duplicate / Blocked.
- Presented: the applications those submissions created, i.e. a person put on a job by the agency
  (a New submission, or a person the agency presented before, for another job). Duplicates and
  blocked submissions never enter the pipeline.
- Interviews, offers, hires, rejections: presented applications whose *current* stage is Interview
  or later (Interview, Offered, Hired), Offered or later, Hired, Rejected. We count the current
  stage rather than replaying the `application.stage_changed` audit events: those events carry the
  stages only in their free-text summary, the audit table has no index by application, and the
  stage is one column of the rows aggregated here anyway. The price: someone rejected after an
  interview counts as a rejection, not as an interview (the pages say so).
- Conversion: interviews ÷ presented and hires ÷ presented.
- Time to hire: from the submission (the application's creation) to the move to Hired, averaged
  over the hires.
- Time to first submission: for the jobs sent to an agency in the period, from the sending to the
  agency's first submission for that job, averaged over the jobs it has submitted to.

The tables are cached for CACHE_SECONDS per period and set of agencies: over the default 90
days of a million-candidate database the queries read ~130,000 index entries each (index-only,
through the *_sourcing indexes) and take tens of milliseconds, too long to repeat on every view.
The pages say how old the figures are. With DATABASE_REPLICA_URL set, they are counted on the
replica (settings.REPORTING_DATABASE); the cache hides its lag anyway.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.models import Agency, JobAssignment
from candidates.models import Application, Stage, Submission
from recruitment.models import Job, Role, User

CACHE_SECONDS = 300
CACHE_KEY = "sourcing-v1"  # a new version when Table or Figures change shape
DEFAULT_DAYS = 90
Outcome = Submission.Outcome
REACHED_INTERVIEW = [Stage.INTERVIEW, Stage.OFFERED, Stage.HIRED]
REACHED_OFFER = [Stage.OFFERED, Stage.HIRED]


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date

    @classmethod
    def last_days(cls, count: int = DEFAULT_DAYS) -> "Period":
        today = timezone.localdate()
        return cls(today - timedelta(days=count - 1), today)

    def bounds(self, name: str) -> dict:
        """Filter keyword arguments: `name` falls on one of the period's days."""
        start = timezone.make_aware(datetime.combine(self.first_day, time.min))
        end = timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))
        return {f"{name}__gte": start, f"{name}__lt": end}


@dataclass
class Figures:
    """One line of a table: an agency, a job or the total. Durations are kept as sums, so that
    lines add up; the averages are properties."""

    label: str
    public_id: object = None
    ref: str = ""
    rank: int | None = None
    submissions: int = 0
    new: int = 0
    previously_submitted: int = 0
    duplicate: int = 0
    blocked: int = 0
    presented: int = 0
    interviews: int = 0
    offers: int = 0
    hires: int = 0
    rejections: int = 0
    hire_time: timedelta = field(default_factory=timedelta)
    jobs_sent: int = 0
    jobs_submitted: int = 0
    submit_time: timedelta = field(default_factory=timedelta)

    @property
    def interview_rate(self) -> float | None:
        return self.interviews / self.presented if self.presented else None

    @property
    def hire_rate(self) -> float | None:
        return self.hires / self.presented if self.presented else None

    @property
    def time_to_hire(self) -> timedelta | None:
        return self.hire_time / self.hires if self.hires else None

    @property
    def time_to_first_submission(self) -> timedelta | None:
        return self.submit_time / self.jobs_submitted if self.jobs_submitted else None

    @property
    def cells(self) -> list[str]:
        """The figures in the order of COLUMNS, as the table and the CSV show them."""
        return [str(show(self)) for _header, show in COLUMNS]


ADDED_UP = [
    "submissions",
    "new",
    "previously_submitted",
    "duplicate",
    "blocked",
    "presented",
    "interviews",
    "offers",
    "hires",
    "rejections",
    "hire_time",
    "jobs_sent",
    "jobs_submitted",
    "submit_time",
]


def total(lines: list[Figures], label: str = "Total") -> Figures:
    """Adds up lines the database has already aggregated (one per agency or job)."""
    result = Figures(label)
    for line in lines:
        for name in ADDED_UP:
            setattr(result, name, getattr(result, name) + getattr(line, name))
    return result


@dataclass
class Table:
    """The lines of one analytics table, their total and when the database counted them."""

    lines: list[Figures]
    as_of: datetime = field(default_factory=timezone.now)
    total: Figures = field(init=False)

    def __post_init__(self):
        self.total = total(self.lines)


def visible_agencies(*, user: User):
    """Whose numbers the viewer may see: every agency for Owners and recruiters, their own for an
    agency admin. Anyone else sees none (an agency recruiter sees only their own submissions)."""
    if user.can_manage_jobs or user.role == Role.AGENCY_ADMIN:
        return Agency.objects.visible_to(user).order_by("name")
    return Agency.objects.none()


def by_agency(*, user: User, period: Period) -> Table:
    """Every agency the viewer may see, ranked as a scorecard; agencies that presented nobody in
    the period come last, unranked, by name."""
    agencies = list(visible_agencies(user=user))
    agency_ids = [agency.pk for agency in agencies]
    return _cached("agency", agency_ids, period, lambda: _agency_table(agencies, period))


def by_job(*, user: User, period: Period, agency_public_id: str | None = None) -> Table:
    """The jobs with a submission or a sending in the period, busiest first; of one agency only
    when its public id is given (and the viewer may see it)."""
    agencies = visible_agencies(user=user)
    if agency_public_id is not None:
        agencies = agencies.filter(public_id=agency_public_id)
    agency_ids = list(agencies.values_list("pk", flat=True))
    return _cached("job", agency_ids, period, lambda: _job_table(agency_ids, period))


def _cached(kind: str, agency_ids: list[int], period: Period, count) -> Table:
    """The table from the cache when it was counted lately, else counted now and kept."""
    scope = hashlib.sha256(",".join(map(str, sorted(agency_ids))).encode()).hexdigest()[:24]
    # The database's name: one Redis may serve several databases (development and the benchmark).
    database = connection.settings_dict["NAME"]
    key = f"{CACHE_KEY}:{database}:{kind}:{period.first_day}:{period.last_day}:{scope}"
    if (table := cache.get(key)) is None:
        table = count()
        cache.set(key, table, CACHE_SECONDS)
    return table


def _agency_table(agencies: list[Agency], period: Period) -> Table:
    lines = {agency.pk: Figures(agency.name, public_id=agency.public_id) for agency in agencies}
    for row in _grouped_figures("agency_id", list(lines), period):
        _fill(lines[row["agency_id"]], row)
    return Table(_ranked(list(lines.values())))


def _job_table(agency_ids: list[int], period: Period) -> Table:
    lines: dict[int, Figures] = {}
    for row in _grouped_figures("job_id", agency_ids, period):
        _fill(lines.setdefault(row["job_id"], Figures("")), row)
    # The ids come from the scoped counts above, so every job named here had the viewer's agencies
    # working on it; an agency admin may not open these jobs in the recruiter app, but knows them.
    jobs = Job.objects.using(settings.REPORTING_DATABASE).filter(pk__in=list(lines))
    for pk, title, ref, public_id in jobs.values_list("pk", "title", "ref", "public_id"):
        lines[pk].label, lines[pk].ref, lines[pk].public_id = title, ref, public_id
    busiest = sorted(
        lines.values(), key=lambda line: (-line.submissions, -line.jobs_sent, line.label)
    )
    return Table(busiest)


def _fill(line: Figures, row: dict) -> None:
    for name, value in row.items():
        if name not in ("agency_id", "job_id"):
            setattr(line, name, value)


def _grouped_figures(group: str, agency_ids: list[int], period: Period):
    """The rows of three aggregate queries, each grouped by `group`: one per agency or job."""
    hired = Q(stage=Stage.HIRED)
    submissions = Submission.objects.using(settings.REPORTING_DATABASE).filter(
        agency_id__in=agency_ids, **period.bounds("created_at")
    )
    yield from (
        submissions.values(group)
        .order_by()
        .annotate(
            submissions=Count("*"),
            new=Count("outcome", filter=Q(outcome=Outcome.NEW)),
            previously_submitted=Count("outcome", filter=Q(outcome=Outcome.PREVIOUSLY_SUBMITTED)),
            duplicate=Count("outcome", filter=Q(outcome=Outcome.DUPLICATE)),
            blocked=Count("outcome", filter=Q(outcome=Outcome.BLOCKED)),
        )
    )
    applications = Application.objects.using(settings.REPORTING_DATABASE).filter(
        agency_id__in=agency_ids, **period.bounds("created_at")
    )
    yield from (
        applications.values(group)
        .order_by()
        .annotate(
            presented=Count("*"),
            interviews=Count("stage", filter=Q(stage__in=REACHED_INTERVIEW)),
            offers=Count("stage", filter=Q(stage__in=REACHED_OFFER)),
            hires=Count("stage", filter=hired),
            rejections=Count("stage", filter=Q(stage=Stage.REJECTED)),
            hire_time=_sum_of_durations("created_at", "stage_changed_at", where=hired),
        )
    )
    yield from (
        _sent_jobs(agency_ids, period)
        .values(group)
        .order_by()
        .annotate(
            jobs_sent=Count("*"),
            jobs_submitted=Count("first_submission"),
            submit_time=_sum_of_durations("assigned_at", "first_submission"),
        )
    )


def _sent_jobs(agency_ids: list[int], period: Period):
    """Jobs sent in the period, each with the agency's first submission for it since the sending."""
    first_submission = (
        Submission.objects.filter(
            job=OuterRef("job"), agency=OuterRef("agency"), created_at__gte=OuterRef("assigned_at")
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return (
        JobAssignment.objects.using(settings.REPORTING_DATABASE)
        .filter(agency_id__in=agency_ids, **period.bounds("assigned_at"))
        .annotate(first_submission=Subquery(first_submission))
    )


def _sum_of_durations(start: str, end: str, where: Q | None = None) -> Coalesce:
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    return Coalesce(Sum(duration, filter=where), Value(timedelta()))


def _ranked(lines: list[Figures]) -> list[Figures]:
    """Submission-to-hire ratio first, then submission-to-interview, then the quicker to submit."""
    ranked = sorted(
        (line for line in lines if line.presented),
        key=lambda line: (
            -line.hire_rate,
            -line.interview_rate,
            line.time_to_first_submission or timedelta.max,
            line.label.lower(),
        ),
    )
    for rank, line in enumerate(ranked, start=1):
        line.rank = rank
    unranked = [line for line in lines if not line.presented]
    return ranked + sorted(unranked, key=lambda line: line.label.lower())


# How the pages and the CSV show a figure: the same text in both.


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def days(duration: timedelta | None) -> str:
    return "—" if duration is None else f"{duration / timedelta(days=1):.1f}"


COLUMNS = [
    ("Submissions", lambda line: line.submissions),
    ("New", lambda line: line.new),
    ("Previously submitted", lambda line: line.previously_submitted),
    ("Duplicate", lambda line: line.duplicate),
    ("Blocked", lambda line: line.blocked),
    ("Presented", lambda line: line.presented),
    ("Interviews", lambda line: line.interviews),
    ("Offers", lambda line: line.offers),
    ("Hires", lambda line: line.hires),
    ("Rejections", lambda line: line.rejections),
    ("Submission → interview", lambda line: percent(line.interview_rate)),
    ("Submission → hire", lambda line: percent(line.hire_rate)),
    ("Jobs sent", lambda line: line.jobs_sent),
    ("Days to first submission", lambda line: days(line.time_to_first_submission)),
    ("Days to hire", lambda line: days(line.time_to_hire)),
]
HEADERS = [header for header, _show in COLUMNS]
