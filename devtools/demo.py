"""The demo data set of `make run`: one employer, two agencies and a few jobs. Safe to load twice.

It spans every app, as only devtools, above them all, may.
"""

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction

from agencies import services as agency_services
from agencies.models import Agency, JobAssignment, Membership
from candidates import duplicates
from candidates import services as candidate_services
from candidates.models import Candidate, Submission
from messaging.services import seats
from messaging.services import threads as messaging_services
from recruitment import services
from recruitment.models import Job, Role, User

DEMO_PASSWORD = "portal-demo-2026"

EMPLOYER_USERS = [
    ("owner@northwind.example", "Olivia", "Owens", Role.OWNER),
    ("recruiter@northwind.example", "Ravi", "Patel", Role.RECRUITER),
    ("manager@northwind.example", "Hannah", "Meyer", Role.HIRING_MANAGER),
]

AGENCIES = [
    (
        "Apex Talent Partners",
        "GB",
        "apex",
        [("Amelia", "Clarke", Role.AGENCY_ADMIN), ("Jack", "Turner", Role.AGENCY_RECRUITER)],
    ),
    (
        "Brightpath Staffing",
        "US",
        "brightpath",
        [("Maya", "Johnson", Role.AGENCY_ADMIN), ("Leo", "Garcia", Role.AGENCY_RECRUITER)],
    ),
]

JOBS = [
    (
        "Senior Backend Engineer",
        "Berlin",
        "DE",
        "professionals",
        "engineering",
        "mid_senior",
        "full_time",
        ["Apex Talent Partners"],
    ),
    (
        "Account Executive, DACH",
        "Munich",
        "DE",
        "sales",
        "sales",
        "associate",
        "full_time",
        ["Apex Talent Partners", "Brightpath Staffing"],
    ),
    (
        "Customer Support Specialist",
        "Austin",
        "US",
        "service",
        "customer_service",
        "entry",
        "full_time",
        ["Brightpath Staffing"],
    ),
    (
        "Data Analyst (contract)",
        "London",
        "GB",
        "professionals",
        "information_technology",
        "associate",
        "contract",
        [],
    ),
    (
        "Office Manager",
        "New York",
        "US",
        "admin_support",
        "administrative",
        "mid_senior",
        "full_time",
        ["Brightpath Staffing"],
    ),
    (
        "Warehouse Team Lead",
        "Rotterdam",
        "NL",
        "managers",
        "logistics",
        "mid_senior",
        "full_time",
        [],
    ),
]

AD = """About the role
{title} in {location}. You join a small, senior team that ships every week and owns its work end to end.

What you'll do
- Work with the hiring manager and the team on the goals of the quarter.
- Take ownership of your area and make it measurably better.

What we offer
Competitive salary, 30 days of holiday, a yearly learning budget and flexible hours."""


# (agency, submitting user's first name, job title, first, last, email, phone, stage)
CANDIDATES = [
    (
        "Apex Talent Partners",
        "Jack",
        "Senior Backend Engineer",
        "Priya",
        "Raman",
        "priya.raman@mail.example",
        "+447911123456",
        "interview",
    ),
    (
        "Apex Talent Partners",
        "Jack",
        "Senior Backend Engineer",
        "Tom",
        "Becker",
        "tom.becker@mail.example",
        "+4915112345678",
        "lead",
    ),
    (
        "Apex Talent Partners",
        "Amelia",
        "Account Executive, DACH",
        "Lena",
        "Vogel",
        "lena.vogel@mail.example",
        "+4917612345678",
        "in_review",
    ),
    (
        "Brightpath Staffing",
        "Leo",
        "Customer Support Specialist",
        "Marcus",
        "Hill",
        "marcus.hill@mail.example",
        "+12025550143",
        "offered",
    ),
    (
        "Brightpath Staffing",
        "Leo",
        "Office Manager",
        "Sofia",
        "Alvarez",
        "sofia.alvarez@mail.example",
        "+12025550178",
        "hired",
    ),
    # Brightpath presents Lena too: a Duplicate, since Apex presented her first.
    (
        "Brightpath Staffing",
        "Maya",
        "Account Executive, DACH",
        "Lena",
        "Vogel",
        "lena.vogel@mail.example",
        "",
        "lead",
    ),
]

RESUME = """{first} {last}
{email} | {phone}

Summary
Customer-minded professional with six years of experience in fast-growing teams, known for
clear communication and for leaving every process better documented than found.

Experience
Team Lead, Northwind Logistics
Jan 2021 - Present
Senior Associate, Contoso Group
Mar 2018 - Dec 2020

Education
BSc Business Administration, University of Leeds, 2017
"""


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, role, where to sign in) for every demo user."""
    logins = [(email, role.label, "/") for email, _first, _last, role in EMPLOYER_USERS]
    for name, _country, slug, people in AGENCIES:
        for first, _last, role in people:
            logins.append((_agency_email(slug, first), f"{role.label}, {name}", "/agency/"))
    return logins


def _agency_email(slug: str, first: str) -> str:
    return f"{first.lower()}@{slug}.example"


def _user(email, first, last, role, country="") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, role=role, country=country
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def load(progress=print) -> None:
    progress("Employer users")
    owner, recruiter, manager = (
        _user(email, first, last, role, "DE") for email, first, last, role in EMPLOYER_USERS
    )

    progress("Agencies and their users")
    agencies = {}
    for name, country, slug, people in AGENCIES:
        agency = Agency.objects.filter(name=name).first() or agency_services.agency_create(
            actor=owner, name=name, country=country, website=f"https://{slug}.example"
        )
        agencies[name] = agency
        for first, last, role in people:
            user = _user(_agency_email(slug, first), first, last, role, country)
            Membership.objects.get_or_create(user=user, defaults={"agency": agency})

    progress("Jobs and assignments")
    for title, location, country, category, function, level, kind, sent_to in JOBS:
        job = Job.objects.filter(title=title).first() or services.job_create(
            actor=recruiter,
            hiring_team=[manager] if country == "DE" else [],
            title=title,
            description=AD.format(title=title, location=location),
            location=location,
            country=country,
            category=category,
            function=function,
            experience_level=level,
            employment_type=kind,
            status=Job.Status.OPEN,
            coordinator=recruiter,
        )
        for agency_name in sent_to:
            if (
                not JobAssignment.objects.active()
                .filter(job=job, agency=agencies[agency_name])
                .exists()
            ):
                agency_services.job_assign(
                    actor=recruiter,
                    job=job,
                    agency=agencies[agency_name],
                    instructions="Looking for people who stayed 2+ years in their last role. Salary band on request.",
                    fee_percent=18,
                    guarantee_days=90,
                    max_submissions=10,
                )

    progress("Candidates, conversations and texting")
    if not Submission.objects.exists():
        _submit_candidates(recruiter)
        _raise_identity_question()
        _start_conversations(recruiter)
        _set_up_texting(owner, recruiter)


def _set_up_texting(owner: User, recruiter: User) -> None:
    """A seat for the recruiter and a sender pool, so texting can be tried with the console provider."""
    seats.seat_assign(actor=owner, user=recruiter)
    for number in ("+447400123999", "+4915123456700", "+12015550199"):
        seats.sender_number_add(actor=owner, number=number)


def _start_conversations(recruiter: User) -> None:
    jack, amelia = (
        User.objects.get(email=_agency_email("apex", name)) for name in ("Jack", "Amelia")
    )
    priya = Candidate.objects.get(email="priya.raman@mail.example")
    thread = messaging_services.candidate_thread_start(
        actor=jack,
        candidate=priya,
        body="Priya can start in March. Any feedback after the first call?",
    ).thread
    messaging_services.message_post(
        actor=recruiter,
        thread=thread,
        body="The team liked her. Second interview on Thursday at 10:00?",
    )
    messaging_services.general_thread_start(
        actor=recruiter,
        agency=Agency.objects.get(name="Apex Talent Partners"),
        subject="Q1 hiring plan",
        body="We plan six backend hires in Q1; the job ads follow next week. See https://northwind.example/careers",
    )
    messaging_services.private_thread_start(
        actor=amelia,
        partner=recruiter,
        body="Could we talk about the fee for the DACH role privately?",
    )


def _raise_identity_question() -> None:
    """Brightpath types Tom Becker's phone for someone else and confirms it: an identity question
    waits under People → Identity questions."""
    duplicates.submission_create(
        actor=User.objects.get(email=_agency_email("brightpath", "Maya")),
        assignment=JobAssignment.objects.active().get(
            job__title="Account Executive, DACH", agency__name="Brightpath Staffing"
        ),
        first_name="Jonas",
        last_name="Becker",
        email="jonas.becker@mail.example",
        phone="+4915112345678",
        confirmed_identity="phone:+4915112345678",
        note="Available from March.",
    )


def _submit_candidates(recruiter: User) -> None:
    """Submissions through the real service, so outcomes, claims and resume parsing are genuine."""
    for agency_name, submitter, title, first, last, email, phone, stage in CANDIDATES:
        slug = next(slug for name, _country, slug, _people in AGENCIES if name == agency_name)
        assignment = JobAssignment.objects.active().get(job__title=title, agency__name=agency_name)
        resume = ContentFile(
            RESUME.format(first=first, last=last, email=email, phone=phone).encode(),
            name=f"{first}-{last}.txt".lower(),
        )
        submission = duplicates.submission_create(
            actor=User.objects.get(email=_agency_email(slug, submitter)),
            assignment=assignment,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            resume=resume,
            note="Available with one month's notice.",
            text_consent=True,
        )
        if (
            submission.application
            and submission.outcome == Submission.Outcome.NEW
            and stage != "lead"
        ):
            candidate_services.application_set_stage(
                actor=recruiter, application=submission.application, stage=stage
            )
