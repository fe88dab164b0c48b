"""What the benchmark measures on the seeded data: the pages, each at a large and a small size, the
known people it submits again for the duplicate check, and the assignment they are submitted to."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.postgres.search import SearchQuery
from django.db.models import Count
from django.utils import timezone

from agencies.models import Agency, JobAssignment
from candidates.models import Application, Candidate, DuplicateRules, Stage, Submission
from devtools.management.commands.seed_large import DOMAIN, bench_recruiter
from messaging.models import Message, Thread
from recruitment.models import Job, Role, User

BENCH_OWNER = f"bench.owner@northwind.{DOMAIN}"
PAGE_GOAL_MS = 50
SEARCH_GOAL_MS = 100  # inbox full-text search
COMMON_WORD, RARE_WORD = "interview", "kubernetes"  # as seed_large writes them into messages
# Claims younger than the duplicate window (183 days by default) still belong to their agency.
RECENT = timedelta(days=150)


@dataclass
class Page:
    name: str
    user: User
    url: str
    small_user: User  # the same page where the rows it shows are few
    small_url: str
    goal_ms: int = PAGE_GOAL_MS
    cached: bool = False  # also time one request with the cache bypassed


def bench_scene(runs: int) -> tuple[list[Page], list[Candidate], JobAssignment]:
    """The pages to measure, the known people to resubmit and the assignment to submit them to.

    The agency side uses the seeded admin and recruiter of the largest agency (and of the smallest,
    for the small size): a bench-made agency user would own no submissions, so "My candidates"
    would measure an empty list.
    """
    recruiter = bench_recruiter()
    owner, _created = User.objects.get_or_create(
        email=BENCH_OWNER,
        defaults={
            "role": Role.OWNER,
            "first_name": "Bench",
            "last_name": "Owner",
            "password": make_password(None),
        },
    )
    big, small = most_and_least_frequent(Submission, "agency_id")
    common, rare = most_and_least_frequent(Candidate, "last_name")
    busy_job, quiet_job = most_and_least_frequent(Application, "job_id")
    big_admin, big_recruiter = (
        agency_user(big, Role.AGENCY_ADMIN),
        agency_user(big, Role.AGENCY_RECRUITER),
    )
    small_admin, small_recruiter = (
        agency_user(small, Role.AGENCY_ADMIN),
        agency_user(small, Role.AGENCY_RECRUITER),
    )
    small_public_id = Agency.objects.get(pk=small).public_id
    busy_thread, quiet_thread = most_and_least_frequent(Message, "thread_id")
    busy_thread, quiet_thread = (
        Thread.objects.get(pk=pk).public_id for pk in (busy_thread, quiet_thread)
    )
    today = timezone.localdate()
    known = Submission.objects.filter(outcome=Submission.Outcome.DUPLICATE, last_name=common)
    common_person = known.order_by("pk").first().candidate.public_id
    rarely_named = Candidate.objects.filter(last_name=rare).order_by("pk").first()
    rare_person, rare_first = rarely_named.public_id, rarely_named.first_name
    phone = national_phone()
    pages = [
        Page(
            "Recruiter: job list",
            recruiter,
            "/jobs/",
            recruiter,
            f"/jobs/?q={Job.objects.get(pk=quiet_job).ref}",
        ),
        Page(
            "People: no filter (small: today's)",
            recruiter,
            "/people/",
            recruiter,
            f"/people/?submitted_from={today}",
        ),
        # A common name is matched on the joined candidate, a rare one through its people's ids.
        Page(
            "People: by a common name (small: on the quietest job)",
            recruiter,
            f"/people/?q={common}",
            recruiter,
            f"/people/?q={common}&job={quiet_job}",
        ),
        Page(
            "People: by the rarest name (small: with a first name)",
            recruiter,
            f"/people/?q={rare}",
            recruiter,
            f"/people/?q={rare_first}+{rare}",
        ),
        Page(
            "People: by email (exact)",
            recruiter,
            f"/people/?email={email_of(big)}",
            recruiter,
            f"/people/?email={email_of(small)}",
        ),
        Page(
            "People: by phone (typed nationally; its last 4 digits)",
            recruiter,
            f"/people/?phone={phone}",
            recruiter,
            f"/people/?phone={phone[-4:]}",
        ),
        Page(
            "People: by job",
            recruiter,
            f"/people/?job={busy_job}",
            recruiter,
            f"/people/?job={quiet_job}",
        ),
        Page(
            "People: by agency + stage",
            recruiter,
            f"/people/?agency={big}&stage=interview",
            recruiter,
            f"/people/?agency={small}&stage=interview",
        ),
        Page(
            "Candidate page",
            recruiter,
            f"/candidates/{common_person}/",
            recruiter,
            f"/candidates/{rare_person}/",
        ),
        Page(
            "Candidate page: possible duplicates (loaded after it)",
            recruiter,
            f"/candidates/{common_person}/similar/",
            recruiter,
            f"/candidates/{rare_person}/similar/",
        ),
        Page(
            "Agency: my candidates",
            big_recruiter,
            "/agency/candidates/",
            small_recruiter,
            "/agency/candidates/",
        ),
        Page("Agency: pool", big_admin, "/agency/pool/", small_admin, "/agency/pool/"),
        Page(
            "Agency: pool, ?q=",
            big_admin,
            f"/agency/pool/?q={common}",
            small_admin,
            f"/agency/pool/?q={common}",
        ),
        Page(
            "Agency: pool, ?q= a misspelt name (no match)",
            big_admin,
            f"/agency/pool/?q={common}q",
            small_admin,
            f"/agency/pool/?q={common}q",
        ),
        Page(
            "Agency: submission detail",
            big_recruiter,
            f"/agency/submissions/{submission_of(big_recruiter)}/",
            small_recruiter,
            f"/agency/submissions/{submission_of(small_recruiter)}/",
        ),
        Page("Inbox", recruiter, "/inbox/", recruiter, f"/inbox/?agency={small}"),
        Page(
            "Inbox: search, common word",
            recruiter,
            f"/inbox/?q={COMMON_WORD}",
            recruiter,
            f"/inbox/?q={COMMON_WORD}&agency={small}",
            SEARCH_GOAL_MS,
        ),
        Page(
            "Inbox: search, rare word",
            recruiter,
            f"/inbox/?q={RARE_WORD}",
            recruiter,
            f"/inbox/?q={RARE_WORD}&agency={agency_mentioning(RARE_WORD)}",
            SEARCH_GOAL_MS,
        ),
        Page(
            "Inbox: unread",
            recruiter,
            "/inbox/?unread=on",
            recruiter,
            f"/inbox/?unread=on&agency={small}",
        ),
        Page("Agency: inbox", big_admin, "/agency/inbox/", small_admin, "/agency/inbox/"),
        Page(
            "Agency: inbox search",
            big_admin,
            f"/agency/inbox/?q={COMMON_WORD}",
            small_admin,
            f"/agency/inbox/?q={COMMON_WORD}",
            SEARCH_GOAL_MS,
        ),
        Page(
            "Thread page (newest 50)",
            recruiter,
            f"/threads/{busy_thread}/",
            recruiter,
            f"/threads/{quiet_thread}/",
        ),
        Page(
            "Analytics: agencies",
            recruiter,
            "/analytics/",
            recruiter,
            f"/analytics/?period_from={today}&period_to={today}",
            cached=True,
        ),
        Page(
            "Analytics: jobs",
            recruiter,
            "/analytics/jobs/",
            recruiter,
            f"/analytics/jobs/?agency={small_public_id}",
            cached=True,
        ),
        Page(
            "Agency: analytics",
            big_admin,
            "/agency/analytics/",
            small_admin,
            "/agency/analytics/",
            cached=True,
        ),
        Page("Agency: users", big_admin, "/agency/users/", small_admin, "/agency/users/"),
        Page("Users (owner)", owner, "/users/", owner, f"/users/?agency={small_public_id}"),
        Page("Audit log (owner)", owner, "/audit/", owner, "/audit/?action=job.created"),
    ]
    DuplicateRules.current()  # created once here, not inside every rolled-back run
    people = list(
        Candidate.objects.filter(
            created_at__gte=timezone.now() - RECENT,
            applications__stage__in=[Stage.LEAD, Stage.NEW],
        )
        .exclude(agency_id=big)
        .order_by("?")[:runs]
    )
    assignment = JobAssignment.objects.filter(
        agency_id=big, withdrawn_at__isnull=True, job__status=Job.Status.OPEN
    ).first()
    return pages, people, assignment


def most_and_least_frequent(model, field: str) -> tuple:
    counted = list(model.objects.values_list(field).annotate(n=Count("pk")).order_by("-n", field))
    return counted[0][0], counted[-1][0]


def agency_user(agency_id: int, role: str) -> User:
    return User.objects.filter(membership__agency_id=agency_id, role=role).order_by("pk").first()


def email_of(agency_id: int) -> str:
    return Candidate.objects.filter(agency_id=agency_id).order_by("pk").first().email


def agency_mentioning(word: str) -> int:
    """An agency with a message containing `word`: a search of its threads finds a few rows."""
    found = Message.objects.filter(search=SearchQuery(word, config="simple")).order_by("pk")
    return found.values_list("agency_id", flat=True).first()


def national_phone() -> str:
    """A British candidate's number as a recruiter would type it, e.g. "07400 123456"."""
    british = Candidate.objects.filter(phone__startswith="+44").order_by("pk")
    e164 = british.values_list("phone", flat=True).first()
    return f"0{e164[3:7]}%20{e164[7:]}"


def submission_of(user: User):
    submissions = Submission.objects.filter(submitted_by=user, outcome=Submission.Outcome.NEW)
    return submissions.order_by("pk").first().public_id
