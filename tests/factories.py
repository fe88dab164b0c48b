import factory
from allauth.account.models import EmailAddress

from agencies.models import Agency, JobAssignment, Membership
from recruitment.models import Job, Role, User

PASSWORD = "correct-horse-battery"

# Users get fixed names, not Faker's: tests check that a page does NOT show a candidate ("Ada"),
# and a random "Adam" in the signed-in user's menu once failed one. None of these contains a
# candidate name the tests use; 7 and 8 names give 56 different pairs in a row.
USER_FIRST_NAMES = ("Quinn", "Priya", "Tomasz", "Ines", "Femi", "Yusuf", "Wendy")
USER_LAST_NAMES = (
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castillo",
    "Ivanova",
    "Baptiste",
    "Nakamura",
    "Kowalczyk",
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Sequence(lambda n: USER_FIRST_NAMES[n % len(USER_FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: USER_LAST_NAMES[n % len(USER_LAST_NAMES)])
    role = Role.RECRUITER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    country = "GB"


class AgencyUserFactory(UserFactory):
    """An agency user with their membership; pass agency=… to choose the agency."""

    role = Role.AGENCY_RECRUITER

    @factory.post_generation
    def agency(user, create, extracted, **kwargs):
        if create:
            Membership.objects.create(user=user, agency=extracted or AgencyFactory())


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Job {n}")
    description = "A great job."
    location = "Berlin"
    country = "DE"
    category = Job.Category.PROFESSIONALS
    function = Job.Function.ENGINEERING
    experience_level = Job.ExperienceLevel.MID_SENIOR
    employment_type = Job.EmploymentType.FULL_TIME
    status = Job.Status.OPEN
    coordinator = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("coordinator")

    @factory.post_generation
    def hiring_team(job, create, extracted, **kwargs):
        if create:
            job.hiring_team.set([job.coordinator, *(extracted or [])])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobAssignment

    job = factory.SubFactory(JobFactory)
    agency = factory.SubFactory(AgencyFactory)
    instructions = "Find people who love distributed systems."
    assigned_by = factory.SelfAttribute("job.coordinator")


def submit(user, assignment, **fields):
    """Submit a person through the real service, as the agency portal does."""
    from candidates import duplicates

    defaults = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "",
    }
    return duplicates.submission_create(actor=user, assignment=assignment, **(defaults | fields))


def opt_in(application, *, actor):
    """SMS consent as the product gets it (the double opt-in): the candidate, who agreed to texts
    at submission, is invited by `actor` (a seat holder) and replies YES to our number."""
    from messaging.services import texting, texting_inbound

    invitation = texting.text_invite(actor=actor, application=application, night="send")
    texting_inbound.text_receive(
        sid=f"SMyes{invitation.pk}",
        from_number=invitation.to_number,
        to_number=invitation.from_number,
        body="YES",
    )
    return texting.contact_for(application)
