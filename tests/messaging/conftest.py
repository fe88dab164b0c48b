import pytest

from messaging.services import threads as services
from tests.factories import submit


@pytest.fixture
def submission(agency_a_user, assignment_a):
    return submit(agency_a_user, assignment_a)


@pytest.fixture
def candidate_thread(submission, recruiter):
    return services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="Hi Agency A"
    ).thread
