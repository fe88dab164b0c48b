import pytest

from tests.candidates import sourcing as data_set


@pytest.fixture
def sourcing(recruiter, job, agency_a, agency_b, agency_a_user, agency_b_user):
    """Job 1 and job 2 of the Q1 2025 data set (tests/candidates/sourcing.py)."""
    return data_set.build(recruiter, job, agency_a, agency_b, agency_a_user, agency_b_user)
