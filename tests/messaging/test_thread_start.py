"""Who may start which thread (SPEC, Decisions: hiring managers start threads only about their own
jobs' candidates and with agencies working on their jobs), and that whoever starts one reads it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies import services as agency_services
from candidates.models import Candidate
from messaging.models import Message, Thread
from messaging.selectors import threads as selectors
from messaging.services import threads as services
from recruitment.models import Role
from tests.factories import AgencyUserFactory, AssignmentFactory, JobFactory, UserFactory, submit


@pytest.fixture
def manager_job(hiring_manager, recruiter):
    return JobFactory(coordinator=recruiter, hiring_team=[hiring_manager], title="Welder")


@pytest.fixture
def working_agency(manager_job, agency_a):
    """Agency A works on the hiring manager's job; agency B only on another job."""
    AssignmentFactory(job=manager_job, agency=agency_a)
    return agency_a


@pytest.fixture
def other_agency(agency_b, job):
    AssignmentFactory(job=job, agency=agency_b)
    return agency_b


def _post_general(client, agency):
    return client.post(
        reverse("messaging:general-new"), {"agency": agency.pk, "subject": "Q3", "body": "Hello"}
    )


def test_hiring_manager_starts_a_general_thread_with_an_agency_on_their_jobs_and_reads_it(
    client_of, hiring_manager, working_agency
):
    response = _post_general(client_of(hiring_manager), working_agency)
    thread = Thread.objects.get(kind=Thread.Kind.GENERAL)
    assert response.status_code == 302 and thread.agency == working_agency
    assert client_of(hiring_manager).get(response.url).status_code == 200


def test_a_forged_general_thread_with_another_agency_creates_nothing(
    client_of, hiring_manager, working_agency, other_agency
):
    response = _post_general(client_of(hiring_manager), other_agency)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Thread.objects.exists() and not Message.objects.exists()
    with pytest.raises(PermissionDenied):
        services.general_thread_start(
            actor=hiring_manager, agency=other_agency, subject="Q3", body="Hello"
        )
    assert not Thread.objects.exists()


def test_the_general_thread_form_offers_only_agencies_working_on_the_managers_jobs(
    client_of, hiring_manager, manager_job, working_agency, other_agency, owner
):
    def offered(user):
        form = client_of(user).get(reverse("messaging:general-new")).context["form"]
        return set(form.fields["agency"].queryset)

    assert offered(hiring_manager) == {working_agency}
    assert offered(owner) == {working_agency, other_agency}
    withdrawn = manager_job.assignments.get()
    agency_services.assignment_withdraw(actor=owner, assignment=withdrawn)
    assert offered(hiring_manager) == set()


def test_hiring_manager_writes_privately_only_to_users_of_agencies_on_their_jobs(
    client_of, hiring_manager, working_agency, other_agency, agency_a_user, agency_b_user
):
    assert set(selectors.private_partners(user=hiring_manager)) == {agency_a_user}
    client = client_of(hiring_manager)
    forged = client.post(
        reverse("messaging:private-new"), {"partner": agency_b_user.pk, "body": "Psst"}
    )
    assert forged.status_code == 200 and not Thread.objects.exists()
    with pytest.raises(PermissionDenied):
        services.private_thread_start(actor=hiring_manager, partner=agency_b_user, body="Psst")
    own = client.post(
        reverse("messaging:private-new"), {"partner": agency_a_user.pk, "body": "Psst"}
    )
    assert own.status_code == 302 and Thread.objects.get().agency_user == agency_a_user


def test_hiring_manager_starts_candidate_threads_only_about_their_jobs_candidates(
    client_of, hiring_manager, manager_job, working_agency, agency_a_user, assignment_a
):
    own = submit(agency_a_user, manager_job.assignments.get(), email="own@example.com").candidate
    other = submit(agency_a_user, assignment_a, first_name="Bo", email="bo@example.com").candidate
    client = client_of(hiring_manager)
    forged = client.post(
        reverse("messaging:candidate-thread", args=[other.public_id]), {"body": "Hi"}
    )
    assert forged.status_code == 404 and not Thread.objects.exists()
    with pytest.raises(PermissionDenied):
        services.candidate_thread_start(actor=hiring_manager, candidate=other, body="Hi")
    assert not Thread.objects.exists()
    started = client.post(
        reverse("messaging:candidate-thread", args=[own.public_id]), {"body": "Hi"}
    )
    assert started.status_code == 302 and Thread.objects.get().candidate == own


def _startable(user):
    """One thread of every kind the user may start, started through the services."""
    threads = []
    for agency in selectors.thread_agencies(user=user):
        threads.append(
            services.general_thread_start(actor=user, agency=agency, subject="S", body="B").thread
        )
    for partner in selectors.private_partners(user=user):
        threads.append(services.private_thread_start(actor=user, partner=partner, body="B").thread)
    for candidate in Candidate.objects.visible_to(user).exclude(agency=None):
        threads.append(
            services.candidate_thread_start(actor=user, candidate=candidate, body="B").thread
        )
    return threads


@pytest.mark.parametrize(
    "role",
    [Role.OWNER, Role.RECRUITER, Role.HIRING_MANAGER, Role.AGENCY_ADMIN, Role.AGENCY_RECRUITER],
)
def test_every_thread_a_user_may_start_they_can_read(
    role, manager_job, hiring_manager, working_agency, other_agency, agency_a_user, agency_b_user
):
    submit(agency_a_user, manager_job.assignments.get(), email="a1@example.com")
    submit(agency_b_user, other_agency.assignments.get(), email="b1@example.com")
    if role in (Role.AGENCY_ADMIN, Role.AGENCY_RECRUITER):
        user = AgencyUserFactory(role=role, agency=working_agency)
        submit(user, manager_job.assignments.get(), first_name="Cy", email="cy@example.com")
    elif role == Role.HIRING_MANAGER:
        user = hiring_manager
    else:
        user = UserFactory(role=role)
    started = _startable(user)
    assert {thread.kind for thread in started} >= {"general", "private", "candidate"}
    assert set(started) <= set(Thread.objects.visible_to(user))
