import pytest

from messaging import providers
from messaging.services import seats, texting
from messaging.services import threads as services
from tests.factories import submit

# The texting tests' numbers: the candidate's British mobile and the employer's sender.
GB, SENDER = "+447400123456", "+447400123999"


@pytest.fixture
def submission(agency_a_user, assignment_a):
    return submit(agency_a_user, assignment_a)


@pytest.fixture
def candidate_thread(submission, recruiter):
    return services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="Hi Agency A"
    ).thread


@pytest.fixture
def provider():
    """The in-memory texting provider, emptied; the texting files use it for every test."""
    providers.InMemoryProvider.outbox.clear()
    providers.InMemoryProvider.fail_with.clear()
    return providers.InMemoryProvider


@pytest.fixture
def daytime(monkeypatch):
    monkeypatch.setattr(texting, "quiet_hours_check", lambda phone, now=None: None)


@pytest.fixture
def texter(recruiter, owner):
    """A recruiter with a texting seat, and a sender number in the pool."""
    seats.sender_number_add(actor=owner, number=SENDER)
    seats.seat_assign(actor=owner, user=recruiter)
    return recruiter


@pytest.fixture
def application(agency_a_user, assignment_a, texter):
    """An application whose candidate agreed at submission to be texted at GB."""
    return submit(agency_a_user, assignment_a, phone=GB, text_consent=True).application
