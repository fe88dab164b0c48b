"""Seed the large benchmark data set once: agencies, their users, jobs, assignments and, by default,
a million candidates with their application, submission(s) and identity claims.

Everything is written in one transaction (COPY through psycopg 3 for the big tables), so the data
set is either complete or absent; a second run finds it and stops. The generated values come from
a seeded random generator: names, emails and phone numbers are the same on every machine, and
every email and phone number is unique (the identity claims require it) and a valid E.164 number.

The per-person tables are produced by `person_rows`, one batch at a time; a later table that
hangs off a person (messaging threads and messages, say) is one more entry in the dict it returns.
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
from recruitment.models import Job, Role, User

SEED = 20260101
BATCH = 20_000
HISTORY = timedelta(days=730)
OWNERSHIP = timedelta(days=183)  # DuplicateRules' default window
CONFIRMATION_TTL = timedelta(days=14)
DOMAIN = "bench.example"  # every seeded user and agency website lives under it

FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra",
    "Mark", "Ashley", "Paul", "Emily", "Steven", "Donna", "Andrew", "Michelle", "Joshua",
    "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Oliver", "Amelia", "Harry", "Olivia",
    "Jack", "Isla", "Noah", "Ava", "Leo", "Mia", "Lukas", "Emma", "Finn", "Hannah", "Elias",
    "Lena", "Jonas", "Lea", "Felix", "Sophie", "Maximilian", "Anna",
)  # fmt: skip
# Most common first: names are drawn with Zipf-like weights, as real surnames are.
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker",
    "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker",
    "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan",
    "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox",
    "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders",
    "Patel", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schroeder", "Neumann",
    "Schwarz", "Braun",
)  # fmt: skip
EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")
# Valid mobile ranges (checked with phonenumbers before seeding); person i gets base + i.
PHONE_BASES = {"GB": 447400000000, "US": 12122000000, "DE": 4915100000000}
AGENCY_WORDS = ("Apex", "Bright", "Crest", "Delta", "Summit", "Harbor", "Beacon", "Vertex", "Meridian",
                "Keystone")  # fmt: skip
AGENCY_KINDS = ("Talent", "Staffing", "Recruitment", "Search", "Partners")
JOB_ROLES = (
    "Backend Engineer", "Frontend Engineer", "Data Analyst", "Account Executive", "Office Manager",
    "Customer Support Specialist", "Product Manager", "Warehouse Team Lead", "Accountant",
    "HR Business Partner", "Marketing Manager", "Nurse", "Legal Counsel", "Designer",
)  # fmt: skip
JOB_LEVELS = ("Junior", "", "Senior", "Lead")
LOCATIONS = (("London", "GB"), ("Manchester", "GB"), ("Berlin", "DE"), ("Munich", "DE"),
             ("New York", "US"), ("Austin", "US"), ("Remote (EU)", "DE"))  # fmt: skip
JOB_STATUSES = {
    Job.Status.OPEN: 70,
    Job.Status.ON_HOLD: 5,
    Job.Status.CLOSED: 15,
    Job.Status.FILLED: 10,
}
STAGES = {
    Stage.LEAD: 50, Stage.NEW: 22, Stage.IN_REVIEW: 9, Stage.INTERVIEW: 6, Stage.OFFERED: 2,
    Stage.HIRED: 3, Stage.REJECTED: 8,
}  # fmt: skip
REJECTION_REASONS = (
    "Not enough experience for the level", "Salary expectations too high",
    "Withdrew from the process", "Position filled by another candidate", "No right to work",
)  # fmt: skip
CONFIRMATIONS = {
    Submission.Confirmation.CONFIRMED: 80, Submission.Confirmation.PENDING: 18,
    Submission.Confirmation.DECLINED: 2,
}  # fmt: skip
EXTRA_SUBMISSION_SHARE = 0.05
NEW_REASON = "New candidate: added as a Lead and counted in your submissions."
PREVIOUS_REASON = "Your agency already submitted this person on {:%b %d, %Y}. Not counted as new."
DUPLICATE_REASON = (
    "Already known: another agency presented this person earlier. Not counted as new."
)

CANDIDATE_COLUMNS = ("id", "public_id", "first_name", "last_name", "email", "phone", "source",
                     "agency_id", "submitted_by_id", "created_at", "ownership_ends_at")  # fmt: skip
APPLICATION_COLUMNS = ("id", "public_id", "candidate_id", "job_id", "agency_id", "stage",
                       "rejection_reason", "created_at", "stage_changed_at")  # fmt: skip
SUBMISSION_COLUMNS = ("public_id", "agency_id", "submitted_by_id", "job_id", "first_name",
                      "last_name", "email", "phone", "note", "outcome", "reason", "candidate_id",
                      "application_id", "created_at", "confirmation", "confirmation_expires_at",
                      "confirmation_answered_at")  # fmt: skip
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

    def handle(self, *args, **options):
        if Agency.objects.filter(website=agency_website(0)).exists():
            self.stdout.write(
                f"The large data set is already there ({Candidate.objects.count():,} candidates); "
                "nothing to do. Drop the database to seed it again."
            )
            return
        check_phone_ranges(options["candidates"])
        started = time.monotonic()
        self.rng = random.Random(SEED)
        self.now = timezone.now()
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
            for model in (User, Agency, Membership, Job, JobAssignment, Candidate, Application,
                          Submission, IdentityClaim):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the large data set in {time.monotonic() - started:.0f} s.")
        )

    # Small tables, through the ORM --------------------------------------------------------------

    def create_employer_recruiters(self) -> list[User]:
        return User.objects.bulk_create(
            User(email=f"recruiter{n}@northwind.{DOMAIN}", first_name=self.rng.choice(FIRST_NAMES),
                 last_name=LAST_NAMES[n], role=Role.RECRUITER, country="DE", password=make_password(None))
            for n in range(1, 4)
        )  # fmt: skip

    def create_agencies(self, count: int, users_per_agency: int) -> list[dict]:
        """Agencies with their users; agency 1 is the largest (weights fall off as 1/rank)."""
        countries = list(PHONE_BASES)
        agencies = Agency.objects.bulk_create(
            Agency(
                name=f"{AGENCY_WORDS[i % 10]} {AGENCY_KINDS[i // 10 % 5]} {i + 1:02d}",
                country=countries[i % len(countries)], website=agency_website(i),
                created_at=self.now - HISTORY - timedelta(days=120),
            )
            for i in range(count)
        )  # fmt: skip
        roles = [Role.AGENCY_ADMIN] + [Role.AGENCY_RECRUITER] * (users_per_agency - 1)
        users = User.objects.bulk_create(
            User(email=f"{'admin' if role == Role.AGENCY_ADMIN else f'recruiter{n}'}@agency{i + 1:02d}.{DOMAIN}",
                 first_name=self.rng.choice(FIRST_NAMES), last_name=self.rng.choice(LAST_NAMES),
                 role=role, country=agency.country, password=make_password(None))
            for i, agency in enumerate(agencies) for n, role in enumerate(roles)
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(user=user, agency=agencies[n // len(roles)]) for n, user in enumerate(users)
        )
        return [
            {"id": agency.pk, "country": agency.country, "jobs": [],
             "users": [user.pk for user in users[i * len(roles) : (i + 1) * len(roles)]]}
            for i, agency in enumerate(agencies)
        ]  # fmt: skip

    def create_jobs(self, count: int, employer: list[User]) -> list[Job]:
        statuses = self.rng.choices(list(JOB_STATUSES), weights=JOB_STATUSES.values(), k=count)
        jobs = []
        for status in statuses:
            level, role = self.rng.choice(JOB_LEVELS), self.rng.choice(JOB_ROLES)
            location, country = self.rng.choice(LOCATIONS)
            jobs.append(
                Job(title=f"{level} {role}".strip(), description=f"{role} in {location}.",
                    location=location, country=country, category=Job.Category.PROFESSIONALS,
                    function=Job.Function.OTHER, experience_level=Job.ExperienceLevel.MID_SENIOR,
                    employment_type=Job.EmploymentType.FULL_TIME, status=status,
                    coordinator=self.rng.choice(employer), created_by=employer[0],
                    created_at=self.now - HISTORY - timedelta(days=self.rng.uniform(1, 90)))
            )  # fmt: skip
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
                    JobAssignment(job=job, agency_id=agencies[index]["id"], fee_percent=20,
                                  guarantee_days=90, assigned_by=employer[0],
                                  assigned_at=job.created_at + timedelta(days=1))
                )  # fmt: skip
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
            sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
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
            candidates.append((candidate_id, self.uuid(), first, last, email, phone,
                               Candidate.Source.AGENCY_PORTAL, agency["id"], user, created,
                               created + OWNERSHIP))  # fmt: skip
            changed = min(created + timedelta(days=rng.uniform(0, 60)), self.now)
            applications.append((application_id, self.uuid(), candidate_id, job, agency["id"], stage,
                                 rng.choice(REJECTION_REASONS) if stage == Stage.REJECTED else "",
                                 created, changed if stage not in (Stage.LEAD, Stage.NEW) else created))  # fmt: skip
            confirmation = confirmations[offset]
            answered = created + timedelta(hours=rng.uniform(1, 72))
            submissions.append((self.uuid(), agency["id"], user, job, first, last, email, phone, "",
                                Submission.Outcome.NEW, NEW_REASON, candidate_id, application_id,
                                created, confirmation, created + CONFIRMATION_TTL,
                                None if confirmation == Submission.Confirmation.PENDING else answered))  # fmt: skip
            claims.append((IdentityClaim.Kind.EMAIL, email, candidate_id, created))
            claims.append((IdentityClaim.Kind.PHONE, phone, candidate_id, created))
            if rng.random() < EXTRA_SUBMISSION_SHARE:
                submissions.append(self.repeat_submission(
                    agency, job, first, last, email, phone, candidate_id, application_id, created
                ))  # fmt: skip
        return {
            Candidate: (CANDIDATE_COLUMNS, candidates),
            Application: (APPLICATION_COLUMNS, applications),
            Submission: (SUBMISSION_COLUMNS, submissions),
            IdentityClaim: (CLAIM_COLUMNS, claims),
        }

    def repeat_submission(self, agency, job, first, last, email, phone, candidate_id,
                          application_id, created) -> tuple:  # fmt: skip
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
        return (self.uuid(), agency["id"], rng.choice(agency["users"]), job, first, last, email,
                phone, "", outcome, reason, candidate_id, application_id, when,
                Submission.Confirmation.NOT_ASKED, None, None)  # fmt: skip

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


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
