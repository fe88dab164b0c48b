"""Exactly one of many simultaneous submissions of one person wins; the database decides."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from candidates.duplicates import claims
from candidates.models import (
    Candidate,
    DuplicateRules,
    IdentityClaim,
    IdentityConflict,
    Submission,
)
from recruitment.models import Role
from tests.factories import (
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
    submit,
)
from tests.locks import wait_until_blocked_on_a_lock

THREADS = 50
AGENCIES = 5


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_give_exactly_one_new_and_no_error():
    job = JobFactory(coordinator=UserFactory(role=Role.RECRUITER))
    submitters = []
    for _ in range(AGENCIES):
        agency = AgencyFactory()
        assignment = AssignmentFactory(job=job, agency=agency)
        submitters += [
            (AgencyUserFactory(agency=agency), assignment) for _ in range(THREADS // AGENCIES)
        ]
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def run(user, assignment):
        try:
            barrier.wait()  # all threads start their transaction together, each on its own connection
            outcomes.append(submit(user, assignment, phone="+447400123456").outcome)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in submitters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(outcomes) == THREADS
    assert outcomes.count(Submission.Outcome.NEW) == 1
    assert set(outcomes) <= {"new", "previously_submitted", "duplicate"}
    assert Candidate.objects.count() == 1 and IdentityClaim.objects.count() == 2
    winner = Candidate.objects.get()
    same_agency = Submission.objects.filter(agency=winner.agency).exclude(outcome="new")
    assert set(same_agency.values_list("outcome", flat=True)) <= {"previously_submitted"}
    assert (
        Submission.objects.exclude(agency=winner.agency).filter(outcome="duplicate").count()
        == THREADS - THREADS // AGENCIES
    )


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_of_two_people_sharing_a_phone():
    """Half submit Ada, half Grace, with one phone, all confirming it. Still exactly one New; every
    submission of the other name is held as a case against the winner; no one is merged silently."""
    job = JobFactory(coordinator=UserFactory(role=Role.RECRUITER))
    submitters = []
    for _ in range(AGENCIES):
        assignment = AssignmentFactory(job=job, agency=AgencyFactory())
        submitters += [
            (AgencyUserFactory(agency=assignment.agency), assignment, name)
            for name in ["Ada", "Grace"] * (THREADS // AGENCIES // 2)
        ]
    barrier = threading.Barrier(THREADS)
    names, errors = {}, []

    def run(user, assignment, name):
        try:
            barrier.wait()
            submission = submit(
                user,
                assignment,
                first_name=name,
                last_name=name + "son",
                email="",
                phone="+447400123456",
                confirmed_identity="phone:+447400123456",
            )
            names[submission.pk] = name
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in submitters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and len(names) == THREADS
    winner = Submission.objects.get(outcome="new")
    other_name = "Grace" if winner.first_name == "Ada" else "Ada"
    held = set(IdentityConflict.objects.values_list("submission", flat=True))
    assert held == {pk for pk, name in names.items() if name == other_name}
    assert set(IdentityConflict.objects.values_list("candidate", flat=True)) == {
        winner.candidate_id
    }
    assert Candidate.objects.count() == 1 and IdentityClaim.objects.count() == 1
    assert not Submission.objects.filter(pk__in=held, application__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_of_two_take_overs_of_an_expired_claim_the_second_finds_the_person_taken():
    """B reads the expired claim while A has taken it over but not committed; B's take-over
    waits for A's commit, then must see the claim changed rather than take it as well."""
    first = submit(AgencyUserFactory(), AssignmentFactory(), phone="")
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=200))
    claim = IdentityClaim.objects.get()
    rules = DuplicateRules.current()
    a_holds_the_claim, outcome, backends = threading.Event(), {}, {}

    def take_over(name, candidate, then=None):
        try:
            connection.ensure_connection()
            backends[name] = connection.connection.info.backend_pid
            with transaction.atomic():
                claims._take_over_expired_claim(
                    claim.kind, claim.value, None, candidate, timezone.now(), rules
                )
                if then:
                    then()
            outcome[name] = "took it"
        except claims.IdentityTaken as taken:
            outcome[name] = taken.candidate
        finally:
            connection.close()

    def a_commits_once_b_waits():
        a_holds_the_claim.set()
        wait_until_blocked_on_a_lock(lambda: backends.get("b"))

    a_candidate, b_candidate = (
        Candidate.objects.create(first_name=name, last_name="Taker") for name in ("A", "B")
    )
    a = threading.Thread(target=take_over, args=("a", a_candidate, a_commits_once_b_waits))
    a.start()
    a_holds_the_claim.wait(timeout=10)
    b = threading.Thread(target=take_over, args=("b", b_candidate))
    b.start()
    a.join(timeout=30)
    b.join(timeout=30)

    assert outcome == {"a": "took it", "b": a_candidate}
    assert IdentityClaim.objects.get().candidate == a_candidate != first.candidate
