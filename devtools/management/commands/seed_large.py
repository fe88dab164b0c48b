"""Seed the large benchmark data set once: agencies, their users, jobs, assignments and, by default,
a million candidates with their application, submission(s) and identity claims.

Everything is written in one transaction (COPY through psycopg 3 for the big tables), so the data
set is either complete or absent; a second run finds it and stops. The generated values come from
a seeded random generator: names, emails and phone numbers are the same on every machine, and
every email and phone number is unique (the identity claims require it) and a valid E.164 number.

The per-person tables are produced by `person_rows`, one batch at a time. Messaging (threads,
messages, read markers) is a second stage in its own transaction, seeded when it is missing, so a
database seeded before it existed gains it without seeding the people again.
"""

import random
import sys
import time
import uuid
from datetime import timedelta
from itertools import accumulate

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, JobAssignment, Membership
from candidates.models import Application, Candidate, IdentityClaim, Stage, Submission
from messaging.models import Message, ReadMarker, Thread
from recruitment.models import Job, Role, User

SEED = 20260101
BATCH = 20_000
HISTORY = timedelta(days=730)
OWNERSHIP = timedelta(days=183)  # DuplicateRules' default window
CONFIRMATION_TTL = timedelta(days=14)
DOMAIN = "bench.example"  # every seeded user and agency website lives under it
BENCH_RECRUITER = f"bench.recruiter@northwind.{DOMAIN}"

FIRST_NAMES = (
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Paul",
    "Emily",
    "Steven",
    "Donna",
    "Andrew",
    "Michelle",
    "Joshua",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "Oliver",
    "Amelia",
    "Harry",
    "Olivia",
    "Jack",
    "Isla",
    "Noah",
    "Ava",
    "Leo",
    "Mia",
    "Lukas",
    "Emma",
    "Finn",
    "Hannah",
    "Elias",
    "Lena",
    "Jonas",
    "Lea",
    "Felix",
    "Sophie",
    "Maximilian",
    "Anna",
)
# Most common first: names are drawn with Zipf-like weights, as real surnames are.
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Reed",
    "Bailey",
    "Bell",
    "Kelly",
    "Howard",
    "Ward",
    "Cox",
    "Richardson",
    "Wood",
    "Watson",
    "Brooks",
    "Bennett",
    "Gray",
    "Hughes",
    "Price",
    "Sanders",
    "Patel",
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schroeder",
    "Neumann",
    "Schwarz",
    "Braun",
)
EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")
# Valid mobile ranges (checked with phonenumbers before seeding); person i gets base + i.
PHONE_BASES = {"GB": 447400000000, "US": 12122000000, "DE": 4915100000000}
AGENCY_WORDS = (
    "Apex",
    "Bright",
    "Crest",
    "Delta",
    "Summit",
    "Harbor",
    "Beacon",
    "Vertex",
    "Meridian",
    "Keystone",
)
AGENCY_KINDS = ("Talent", "Staffing", "Recruitment", "Search", "Partners")
JOB_ROLES = (
    "Backend Engineer",
    "Frontend Engineer",
    "Data Analyst",
    "Account Executive",
    "Office Manager",
    "Customer Support Specialist",
    "Product Manager",
    "Warehouse Team Lead",
    "Accountant",
    "HR Business Partner",
    "Marketing Manager",
    "Nurse",
    "Legal Counsel",
    "Designer",
)
JOB_LEVELS = ("Junior", "", "Senior", "Lead")
LOCATIONS = (
    ("London", "GB"),
    ("Manchester", "GB"),
    ("Berlin", "DE"),
    ("Munich", "DE"),
    ("New York", "US"),
    ("Austin", "US"),
    ("Remote (EU)", "DE"),
)
JOB_STATUSES = {
    Job.Status.OPEN: 70,
    Job.Status.ON_HOLD: 5,
    Job.Status.CLOSED: 15,
    Job.Status.FILLED: 10,
}
STAGES = {
    Stage.LEAD: 50,
    Stage.NEW: 22,
    Stage.IN_REVIEW: 9,
    Stage.INTERVIEW: 6,
    Stage.OFFERED: 2,
    Stage.HIRED: 3,
    Stage.REJECTED: 8,
}
REJECTION_REASONS = (
    "Not enough experience for the level",
    "Salary expectations too high",
    "Withdrew from the process",
    "Position filled by another candidate",
    "No right to work",
)
CONFIRMATIONS = {
    Submission.Confirmation.CONFIRMED: 80,
    Submission.Confirmation.PENDING: 18,
    Submission.Confirmation.DECLINED: 2,
}
EXTRA_SUBMISSION_SHARE = 0.05
NEW_REASON = "New candidate: added as a Lead and counted in your submissions."
PREVIOUS_REASON = "Your agency already submitted this person on {:%b %d, %Y}. Not counted as new."
DUPLICATE_REASON = (
    "Already known: another agency presented this person earlier. Not counted as new."
)

THREAD_SHARES = {Thread.Kind.CANDIDATE: 0.80, Thread.Kind.GENERAL: 0.15}  # the rest: private
RECENT_CANDIDATES = 200_000  # candidate threads are about people from the last months
SUBJECTS = (
    "Fee terms for next quarter",
    "Interview slots next week",
    "Updated job descriptions",
    "Invoice question",
    "Feedback on recent submissions",
    "Holiday cover",
    "New roles in Berlin",
    "Onboarding paperwork",
    "Referral bonus",
    "Hiring freeze update",
)
# Common words ("candidate", "interview", "role") and rarer ones, for full-text search.
SENTENCES = (
    "Thanks for sending this candidate over.",
    "Could we schedule an interview for Tuesday?",
    "The candidate is available from next month.",
    "Salary expectations are within the range.",
    "I have attached the updated resume.",
    "The hiring manager would like a second interview.",
    "Can you confirm the notice period?",
    "We decided not to move forward with this role.",
    "The client loved the interview and wants to make an offer.",
    "Please share the references.",
    "Is the role still open?",
    "She prefers a hybrid setup with two office days.",
    "He speaks fluent German and English.",
    "Let me check with the candidate and get back to you.",
    "The start date works for us.",
    "Could you send the signed terms?",
    "We moved the interview to Thursday afternoon.",
    "Any update on the feedback?",
)
RARE_SENTENCE = "Has run Kubernetes clusters in production for three years."
RARE_MESSAGES = 100
FULLY_READ = 0.6  # of the threads a bench user has a marker on; the others are behind

THREAD_COLUMNS = (
    "id",
    "public_id",
    "kind",
    "agency_id",
    "candidate_id",
    "subject",
    "employer_user_id",
    "agency_user_id",
    "created_by_id",
    "created_at",
    "last_message_at",
    "last_message_id",
)
MESSAGE_COLUMNS = (
    "id",
    "public_id",
    "thread_id",
    "agency_id",
    "author_id",
    "body",
    "created_at",
)  # not `search`: PostgreSQL generates it
CANDIDATE_COLUMNS = (
    "id",
    "public_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "source",
    "agency_id",
    "submitted_by_id",
    "created_at",
    "ownership_ends_at",
)
APPLICATION_COLUMNS = (
    "id",
    "public_id",
    "candidate_id",
    "job_id",
    "agency_id",
    "stage",
    "rejection_reason",
    "created_at",
    "stage_changed_at",
)
SUBMISSION_COLUMNS = (
    "public_id",
    "agency_id",
    "submitted_by_id",
    "job_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "note",
    "outcome",
    "reason",
    "candidate_id",
    "application_id",
    "created_at",
    "confirmation",
    "confirmation_expires_at",
    "confirmation_answered_at",
)
CLAIM_COLUMNS = ("kind", "value", "candidate_id", "claimed_at")  # job_id stays NULL


def agency_website(index: int) -> str:
    return f"https://agency{index + 1:02d}.{DOMAIN}"


def zipf_weights(count: int) -> list[float]:
    return list(accumulate(1 / rank for rank in range(1, count + 1)))


class Progress:
    """A one-line text progress bar on stderr, redrawn in place at most five times a second."""

    WIDTH = 30

    def __init__(self, total_people: int):
        self.total, self.people, self.rows = total_people, 0, 0
        self.started = self.drawn = time.monotonic()

    def advance(self, people: int, rows: int) -> None:
        self.people += people
        self.rows += rows
        if time.monotonic() - self.drawn >= 0.2 or self.people == self.total:
            self.draw()

    def draw(self) -> None:
        self.drawn = time.monotonic()
        elapsed = max(self.drawn - self.started, 1e-9)
        share = self.people / self.total
        eta = elapsed * (1 - share) / share if share else 0
        filled = round(share * self.WIDTH)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%}  {self.rows:,} rows"
            f"  {self.rows / elapsed:,.0f} rows/s  ETA {eta // 60:.0f}m{eta % 60:02.0f}s "
        )
        if self.people == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Command(BaseCommand):
    help = (
        "Seed the large benchmark data set (1M candidates by default) once; see `manage.py bench`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=1_000_000)
        parser.add_argument("--agencies", type=int, default=50)
        parser.add_argument("--agency-users", type=int, default=2, help="per agency (≥ 1)")
        parser.add_argument("--jobs", type=int, default=500)
        parser.add_argument("--agencies-per-job", type=int, default=5)
        parser.add_argument("--threads", type=int, default=10_000)
        parser.add_argument("--messages", type=int, default=1_000_000)

    def handle(self, *args, **options):
        self.now = timezone.now()
        if Agency.objects.filter(website=agency_website(0)).exists():
            self.stdout.write(
                f"The large data set is already there ({Candidate.objects.count():,} candidates)."
            )
        else:
            self.seed_people(options)
        if Thread.objects.exists():
            self.stdout.write(
                f"Messaging is already there ({Message.objects.count():,} messages); nothing to "
                "do. Drop the database to seed it again."
            )
        else:
            self.seed_messaging(options["threads"], options["messages"])

    def seed_people(self, options) -> None:
        check_phone_ranges(options["candidates"])
        started = time.monotonic()
        self.rng = random.Random(SEED)
        with transaction.atomic():
            employer = self.create_employer_recruiters()
            agencies = self.create_agencies(options["agencies"], options["agency_users"])
            jobs = self.create_jobs(options["jobs"], employer)
            self.assign_jobs(jobs, agencies, options["agencies_per_job"], employer)
            self.copy_people(options["candidates"], agencies)
            self.stdout.write("Committing: PostgreSQL checks the deferred foreign keys now…")
        # VACUUM too, as autovacuum would soon: it sets the hint bits and the visibility map, so
        # the benchmark reads a settled table instead of paying for the bulk load's first touch.
        self.stdout.write("VACUUM ANALYZE…")
        with connection.cursor() as cursor:
            for model in (
                User,
                Agency,
                Membership,
                Job,
                JobAssignment,
                Candidate,
                Application,
                Submission,
                IdentityClaim,
            ):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the large data set in {time.monotonic() - started:.0f} s.")
        )

    def seed_messaging(self, thread_count: int, message_count: int) -> None:
        started = time.monotonic()
        self.rng = random.Random(SEED + 1)
        with transaction.atomic():
            employer = [
                bench_recruiter(),
                *User.objects.filter(
                    email__startswith="recruiter", email__endswith=f"@northwind.{DOMAIN}"
                ),
            ]
            memberships = Membership.objects.filter(agency__website__endswith=DOMAIN)
            agency_users: dict[int, list[int]] = {}
            for agency_id, user_id in memberships.order_by("agency_id", "user_id").values_list(
                "agency_id", "user_id"
            ):
                agency_users.setdefault(agency_id, []).append(user_id)
            threads = self.thread_rows(thread_count, [user.pk for user in employer], agency_users)
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                first_id = reserve_ids(cursor, Thread, len(threads))
                threads = [(first_id + n, *row) for n, row in enumerate(threads)]
                copy_rows(cursor, Thread, THREAD_COLUMNS, threads)
                self.copy_messages(
                    cursor, threads, message_count, [u.pk for u in employer], agency_users
                )
                self.stdout.write("Setting each thread's last message…")
                cursor.execute(LAST_MESSAGE_UPDATE)
            largest = Agency.objects.get(website=agency_website(0)).pk
            self.create_read_markers(employer[0], largest, agency_users[largest])
            self.stdout.write("Committing: PostgreSQL checks the deferred foreign keys now…")
        self.stdout.write("VACUUM ANALYZE…")
        with connection.cursor() as cursor:
            for model in (Thread, Message, ReadMarker):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded messaging in {time.monotonic() - started:.0f} s.")
        )

    # Small tables, through the ORM --------------------------------------------------------------

    def create_employer_recruiters(self) -> list[User]:
        return User.objects.bulk_create(
            User(
                email=f"recruiter{n}@northwind.{DOMAIN}",
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=LAST_NAMES[n],
                role=Role.RECRUITER,
                country="DE",
                password=make_password(None),
            )
            for n in range(1, 4)
        )

    def create_agencies(self, count: int, users_per_agency: int) -> list[dict]:
        """Agencies with their users; agency 1 is the largest (weights fall off as 1/rank)."""
        countries = list(PHONE_BASES)
        agencies = Agency.objects.bulk_create(
            Agency(
                name=f"{AGENCY_WORDS[i % 10]} {AGENCY_KINDS[i // 10 % 5]} {i + 1:02d}",
                country=countries[i % len(countries)],
                website=agency_website(i),
                created_at=self.now - HISTORY - timedelta(days=120),
            )
            for i in range(count)
        )
        roles = [Role.AGENCY_ADMIN] + [Role.AGENCY_RECRUITER] * (users_per_agency - 1)
        users = User.objects.bulk_create(
            User(
                email=f"{'admin' if role == Role.AGENCY_ADMIN else f'recruiter{n}'}@agency{i + 1:02d}.{DOMAIN}",
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                role=role,
                country=agency.country,
                password=make_password(None),
            )
            for i, agency in enumerate(agencies)
            for n, role in enumerate(roles)
        )
        Membership.objects.bulk_create(
            Membership(user=user, agency=agencies[n // len(roles)]) for n, user in enumerate(users)
        )
        return [
            {
                "id": agency.pk,
                "country": agency.country,
                "jobs": [],
                "users": [user.pk for user in users[i * len(roles) : (i + 1) * len(roles)]],
            }
            for i, agency in enumerate(agencies)
        ]

    def create_jobs(self, count: int, employer: list[User]) -> list[Job]:
        statuses = self.rng.choices(list(JOB_STATUSES), weights=JOB_STATUSES.values(), k=count)
        jobs = []
        for status in statuses:
            level, role = self.rng.choice(JOB_LEVELS), self.rng.choice(JOB_ROLES)
            location, country = self.rng.choice(LOCATIONS)
            jobs.append(
                Job(
                    title=f"{level} {role}".strip(),
                    description=f"{role} in {location}.",
                    location=location,
                    country=country,
                    category=Job.Category.PROFESSIONALS,
                    function=Job.Function.OTHER,
                    experience_level=Job.ExperienceLevel.MID_SENIOR,
                    employment_type=Job.EmploymentType.FULL_TIME,
                    status=status,
                    coordinator=self.rng.choice(employer),
                    created_by=employer[0],
                    created_at=self.now - HISTORY - timedelta(days=self.rng.uniform(1, 90)),
                )
            )
        return Job.objects.bulk_create(jobs)

    def assign_jobs(self, jobs, agencies, per_job: int, employer) -> None:
        """Each job goes to `per_job` distinct agencies, the larger ones more often."""
        weights = zipf_weights(len(agencies))
        assignments = []
        for job in jobs:
            chosen: set[int] = set()
            while len(chosen) < min(per_job, len(agencies)):
                chosen.add(self.rng.choices(range(len(agencies)), cum_weights=weights)[0])
            for index in sorted(chosen):
                agencies[index]["jobs"].append(job.pk)
                assignments.append(
                    JobAssignment(
                        job=job,
                        agency_id=agencies[index]["id"],
                        fee_percent=20,
                        guarantee_days=90,
                        assigned_by=employer[0],
                        assigned_at=job.created_at + timedelta(days=1),
                    )
                )
        JobAssignment.objects.bulk_create(assignments)

    # People, through COPY -----------------------------------------------------------------------

    def copy_people(self, count: int, agencies: list[dict]) -> None:
        agencies = [agency for agency in agencies if agency["jobs"]]
        self.agency_weights = zipf_weights(len(agencies))
        self.agencies = agencies
        progress = Progress(count)
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:  # psycopg's own cursor, for COPY
            for start in range(0, count, BATCH):
                self.copy_batch(cursor, start, min(BATCH, count - start), count, progress)

    def copy_batch(self, cursor, start: int, size: int, total: int, progress: Progress) -> None:
        first_candidate_id = reserve_ids(cursor, Candidate, size)
        first_application_id = reserve_ids(cursor, Application, size)
        tables = self.person_rows(start, size, first_candidate_id, first_application_id, total)
        for model, (columns, rows) in tables.items():
            copy_rows(cursor, model, columns, rows)
        progress.advance(size, sum(len(rows) for _columns, rows in tables.values()))

    def person_rows(self, start, size, first_candidate_id, first_application_id, total) -> dict:
        """The rows of people start … start + size - 1, per table."""
        rng = self.rng
        candidates, applications, submissions, claims = [], [], [], []
        picks = rng.choices(self.agencies, cum_weights=self.agency_weights, k=size)
        last_names = rng.choices(LAST_NAMES, cum_weights=zipf_weights(len(LAST_NAMES)), k=size)
        stages = rng.choices(list(STAGES), weights=STAGES.values(), k=size)
        confirmations = rng.choices(list(CONFIRMATIONS), weights=CONFIRMATIONS.values(), k=size)
        for offset in range(size):
            i = start + offset
            candidate_id = first_candidate_id + offset
            application_id = first_application_id + offset
            agency, last, stage = picks[offset], last_names[offset], stages[offset]
            first = rng.choice(FIRST_NAMES)
            email = f"{first}.{last}.{i}@{EMAIL_DOMAINS[i % len(EMAIL_DOMAINS)]}".lower()
            phone = f"+{PHONE_BASES[agency['country']] + i}"
            # Ids grow with time, as they do in a real table.
            created = self.now - HISTORY * (1 - (i + rng.random()) / total)
            job, user = rng.choice(agency["jobs"]), rng.choice(agency["users"])
            candidates.append(
                (
                    candidate_id,
                    self.uuid(),
                    first,
                    last,
                    email,
                    phone,
                    Candidate.Source.AGENCY_PORTAL,
                    agency["id"],
                    user,
                    created,
                    created + OWNERSHIP,
                )
            )
            changed = min(created + timedelta(days=rng.uniform(0, 60)), self.now)
            applications.append(
                (
                    application_id,
                    self.uuid(),
                    candidate_id,
                    job,
                    agency["id"],
                    stage,
                    rng.choice(REJECTION_REASONS) if stage == Stage.REJECTED else "",
                    created,
                    changed if stage not in (Stage.LEAD, Stage.NEW) else created,
                )
            )
            confirmation = confirmations[offset]
            answered = created + timedelta(hours=rng.uniform(1, 72))
            submissions.append(
                (
                    self.uuid(),
                    agency["id"],
                    user,
                    job,
                    first,
                    last,
                    email,
                    phone,
                    "",
                    Submission.Outcome.NEW,
                    NEW_REASON,
                    candidate_id,
                    application_id,
                    created,
                    confirmation,
                    created + CONFIRMATION_TTL,
                    None if confirmation == Submission.Confirmation.PENDING else answered,
                )
            )
            claims.append((IdentityClaim.Kind.EMAIL, email, candidate_id, created))
            claims.append((IdentityClaim.Kind.PHONE, phone, candidate_id, created))
            if rng.random() < EXTRA_SUBMISSION_SHARE:
                submissions.append(
                    self.repeat_submission(
                        agency,
                        job,
                        first,
                        last,
                        email,
                        phone,
                        candidate_id,
                        application_id,
                        created,
                    )
                )
        return {
            Candidate: (CANDIDATE_COLUMNS, candidates),
            Application: (APPLICATION_COLUMNS, applications),
            Submission: (SUBMISSION_COLUMNS, submissions),
            IdentityClaim: (CLAIM_COLUMNS, claims),
        }

    def repeat_submission(
        self, agency, job, first, last, email, phone, candidate_id, application_id, created
    ) -> tuple:
        """A later submission of a known person: by the same agency for the same job (Previously
        submitted, sharing the application), or by another agency (Duplicate, no application)."""
        rng = self.rng
        when = min(created + timedelta(days=rng.uniform(1, 120)), self.now)
        other = rng.choices(self.agencies, cum_weights=self.agency_weights)[0]
        if other is agency:
            outcome = Submission.Outcome.PREVIOUSLY_SUBMITTED
            reason = PREVIOUS_REASON.format(created)
        else:
            outcome, reason, application_id = Submission.Outcome.DUPLICATE, DUPLICATE_REASON, None
            agency, job = other, rng.choice(other["jobs"])
        return (
            self.uuid(),
            agency["id"],
            rng.choice(agency["users"]),
            job,
            first,
            last,
            email,
            phone,
            "",
            outcome,
            reason,
            candidate_id,
            application_id,
            when,
            Submission.Confirmation.NOT_ASKED,
            None,
            None,
        )

    # Messaging ----------------------------------------------------------------------------------

    def thread_rows(self, count: int, employer: list[int], agency_users: dict) -> list[tuple]:
        """Thread rows without their id: candidate threads about recent candidates (so the larger
        agencies have more), general threads with the larger agencies more often, and one private
        thread per (employer user, agency user) pair, as many pairs as there are."""
        rng, rows = self.rng, []
        pairs = [
            (e, a, agency)
            for agency, users in agency_users.items()
            for a in users
            for e in employer
        ]
        private = min(count - round(count * sum(THREAD_SHARES.values())), len(pairs))
        candidates = count * THREAD_SHARES[Thread.Kind.CANDIDATE]
        recent = Candidate.objects.order_by("-pk").values_list("pk", "agency_id", "created_at")
        for candidate, agency, created in rng.sample(
            list(recent[:RECENT_CANDIDATES]), round(candidates)
        ):
            rows.append(
                self.thread_row(
                    Thread.Kind.CANDIDATE,
                    agency,
                    candidate,
                    "",
                    None,
                    None,
                    rng.choice(agency_users[agency]),
                    created,
                )
            )
        agencies = list(agency_users)
        general = count - len(rows) - private
        for agency in rng.choices(agencies, cum_weights=zipf_weights(len(agencies)), k=general):
            author = rng.choice([*employer, *agency_users[agency]])
            rows.append(
                self.thread_row(
                    Thread.Kind.GENERAL,
                    agency,
                    None,
                    rng.choice(SUBJECTS),
                    None,
                    None,
                    author,
                    self.now - HISTORY,
                )
            )
        for employer_user, agency_user, agency in rng.sample(pairs, private):
            rows.append(
                self.thread_row(
                    Thread.Kind.PRIVATE,
                    agency,
                    None,
                    "",
                    employer_user,
                    agency_user,
                    employer_user,
                    self.now - HISTORY,
                )
            )
        rng.shuffle(rows)  # busy threads of every kind
        return rows

    def thread_row(
        self, kind, agency, candidate, subject, employer_user, agency_user, author, earliest
    ) -> tuple:
        created = earliest + (self.now - earliest) * self.rng.random() / 2
        return (
            self.uuid(),
            kind,
            agency,
            candidate,
            subject,
            employer_user,
            agency_user,
            author,
            created,
            created,
            0,
        )

    def copy_messages(self, cursor, threads, count: int, employer: list[int], agency_users) -> None:
        """`count` messages: one per thread, the rest Zipf-like (a few very busy threads). Authors
        alternate between the employer side and the agency side of the thread."""
        rng = self.rng
        sizes = [1] * len(threads)
        for index in rng.choices(
            range(len(threads)), cum_weights=zipf_weights(len(threads)), k=count - len(threads)
        ):
            sizes[index] += 1
        # Ids grow with time across all threads, as they do in a real table.
        times = sorted(
            (threads[index][9] + (self.now - threads[index][9]) * rng.random(), index)
            for index, size in enumerate(sizes)
            for _ in range(size)
        )
        sides = [
            (thread[6] or rng.choice(employer), thread[7] or rng.choice(agency_users[thread[3]]))
            for thread in threads
        ]
        written = [0] * len(threads)
        rare = set(rng.sample(range(count), RARE_MESSAGES))
        first_id = reserve_ids(cursor, Message, count)
        progress = Progress(count)

        def rows():
            for number, (created, index) in enumerate(times):
                body = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
                if number in rare:
                    body += " " + RARE_SENTENCE
                author = sides[index][written[index] % 2]
                written[index] += 1
                progress.advance(1, 1)
                yield (
                    first_id + number,
                    self.uuid(),
                    threads[index][0],
                    threads[index][3],
                    author,
                    body,
                    created,
                )

        copy_rows(cursor, Message, MESSAGE_COLUMNS, rows())

    def create_read_markers(self, recruiter: User, agency_id: int, agency_users: list[int]) -> None:
        """Markers on about half the threads each bench user sees: some read up to the newest
        message, the others some messages behind."""
        rng, markers = self.rng, []
        threads = Thread.objects.values_list(
            "pk", "kind", "agency_id", "employer_user_id", "agency_user_id", "last_message_id"
        )
        for pk, kind, agency, employer_user, agency_user, last_id in threads:
            readers = (
                [recruiter.pk]
                if kind != Thread.Kind.PRIVATE or employer_user == recruiter.pk
                else []
            )
            if agency == agency_id:
                readers += [
                    user
                    for user in agency_users
                    if kind != Thread.Kind.PRIVATE or agency_user == user
                ]
            for reader in readers:
                if rng.random() < 0.5:
                    read = last_id if rng.random() < FULLY_READ else last_id - rng.randint(1, 20)
                    markers.append(
                        ReadMarker(
                            thread_id=pk, user_id=reader, last_read_id=read, last_notified_id=read
                        )
                    )
        ReadMarker.objects.bulk_create(markers, batch_size=BATCH)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


LAST_MESSAGE_UPDATE = f"""
    UPDATE {Thread._meta.db_table} AS thread
    SET last_message_id = newest.id, last_message_at = newest.created_at
    FROM (SELECT thread_id, max(id) AS id, max(created_at) AS created_at
          FROM {Message._meta.db_table} GROUP BY thread_id) AS newest
    WHERE thread.id = newest.thread_id
"""


def bench_recruiter() -> User:
    """The employer recruiter `manage.py bench` logs in as; the messaging seed gives it threads."""
    user, _created = User.objects.get_or_create(
        email=BENCH_RECRUITER,
        defaults={
            "role": Role.RECRUITER,
            "first_name": "Bench",
            "last_name": "Recruiter",
            "password": make_password(None),
        },
    )
    return user


def copy_rows(cursor, model, columns, rows) -> None:
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def reserve_ids(cursor, model, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; return the first."""
    sequence = f"pg_get_serial_sequence('{model._meta.db_table}', 'id')"
    cursor.execute(f"SELECT nextval({sequence})")
    first = cursor.fetchone()[0]
    cursor.execute(f"SELECT setval({sequence}, %s)", [first + count - 1])
    return first


def check_phone_ranges(count: int) -> None:
    for base in PHONE_BASES.values():
        for number in (f"+{base}", f"+{base + count - 1}"):
            if not phonenumbers.is_valid_number(phonenumbers.parse(number)):
                raise CommandError(f"{number} is not a valid phone number: seed fewer candidates.")
