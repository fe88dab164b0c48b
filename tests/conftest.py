"""Personas, after healthchecks' alice/bob/charlie: an employer side and two agencies, A and B."""

import os
from pathlib import Path

import pytest

from devtools.parser_eval import SAMPLES_ENV_VAR, resume_samples_dir
from recruitment.models import Role
from tests.factories import (
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
)


@pytest.fixture
def owner(db):
    return UserFactory(role=Role.OWNER, email="owner@example.com")


@pytest.fixture
def recruiter(db):
    return UserFactory(role=Role.RECRUITER, email="recruiter@example.com")


@pytest.fixture
def hiring_manager(db):
    return UserFactory(role=Role.HIRING_MANAGER, email="manager@example.com")


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Agency A")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Agency B", country="US")


@pytest.fixture
def agency_a_admin(agency_a):
    return AgencyUserFactory(role=Role.AGENCY_ADMIN, agency=agency_a, email="admin@a.example")


@pytest.fixture
def agency_a_user(agency_a):
    return AgencyUserFactory(role=Role.AGENCY_RECRUITER, agency=agency_a, email="user@a.example")


@pytest.fixture
def agency_b_admin(agency_b):
    return AgencyUserFactory(role=Role.AGENCY_ADMIN, agency=agency_b, email="admin@b.example")


@pytest.fixture
def agency_b_user(agency_b):
    return AgencyUserFactory(role=Role.AGENCY_RECRUITER, agency=agency_b, email="user@b.example")


@pytest.fixture
def job(recruiter):
    return JobFactory(coordinator=recruiter, title="Senior Backend Engineer")


@pytest.fixture
def assignment_a(job, agency_a):
    return AssignmentFactory(job=job, agency=agency_a)


@pytest.fixture
def client_of(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def sample_resumes() -> Path:
    """The labelled sample resumes (../shared/resumes, or RESUME_SAMPLES_DIR). They are never
    copied into the project, so where they are absent the tests that read them skip, saying so."""
    path = resume_samples_dir()
    if os.environ.get(SAMPLES_ENV_VAR) == "skip" or not path.is_dir():
        pytest.skip(f"No sample resumes at {path}: set {SAMPLES_ENV_VAR} to their folder")
    return path
