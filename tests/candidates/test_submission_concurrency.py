"""Exactly one of many simultaneous submissions of one person wins; the database decides."""

import threading

import pytest
from django.db import connection

from candidates.models import Candidate, IdentityClaim, Submission
from recruitment.models import Role
from tests.factories import (
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
    submit,
)

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
