"""The submission form's prefill: a chosen resume is read at once for its name, email and phone,
as JSON for static/js/app.js, and nothing of it is kept."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates import services
from candidates.models import Candidate, Resume, Submission
from tests.hostile_files import HOSTILE_FILES, NORMAL_RESUME, is_expected_reason

GB_RESUME = b"Ada Lovelace\nada@example.com\n07400 123456\nAnalyst at Acme\n"


@pytest.fixture
def url():
    return reverse("portal-candidates:prefill")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _resume(content=NORMAL_RESUME, name="jane_roe.pdf"):
    return SimpleUploadedFile(name, content)


def _stored_files(path=""):
    folders, files = default_storage.listdir(path)
    return {f"{path}{name}" for name in files} | {
        stored for folder in folders for stored in _stored_files(f"{path}{folder}/")
    }


def test_agency_user_gets_the_fields_of_a_resume(client_of, agency_a_user, url):
    response = client_of(agency_a_user).post(url, {"resume": _resume()})
    assert response.status_code == 200
    assert response.json() == {
        "fields": {
            "first_name": "Jane",
            "last_name": "Roe",
            "email": "jane.roe@example.com",
            "phone": "+1 201-555-0123",  # with its country code, as the phone field asks
        }
    }


def test_a_number_without_country_code_is_read_as_the_agencys(
    client_of, agency_a_user, agency_b_user, url
):
    gb = client_of(agency_a_user).post(url, {"resume": _resume(GB_RESUME, "ada.txt")}).json()
    assert gb["fields"]["phone"] == "+44 7400 123456"  # agency A is in GB
    us = client_of(agency_b_user).post(url, {"resume": _resume(GB_RESUME, "ada.txt")}).json()
    assert us == {
        "fields": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    }


def test_nothing_is_stored(client_of, agency_a_user, url):
    files_before = _stored_files()
    response = client_of(agency_a_user).post(url, {"resume": _resume()})
    assert response.status_code == 200
    assert not Resume.objects.exists()
    assert not Candidate.objects.exists() and not Submission.objects.exists()
    assert _stored_files() == files_before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Choose a resume file."),
        (SimpleUploadedFile("cv.exe", b"MZ"), "Upload a PDF, Word"),
        (SimpleUploadedFile("cv.pdf", b""), "The submitted file is empty."),
        (SimpleUploadedFile("cv.txt", b"%PDF-1.4\n"), "This file is named .txt but its contents"),
    ],
    ids=["no file", "kind", "empty", "contents"],
)
def test_a_file_the_form_would_refuse_gets_its_message(
    client_of, agency_a_user, url, upload, message
):
    response = client_of(agency_a_user).post(url, {"resume": upload} if upload else {})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_a_file_over_the_size_limit_is_refused(client_of, agency_a_user, url, settings):
    settings.RESUME_MAX_BYTES = 1024 * 1024
    big = _resume(NORMAL_RESUME + b" " * settings.RESUME_MAX_BYTES)
    response = client_of(agency_a_user).post(url, {"resume": big})
    assert response.status_code == 400
    assert response.json() == {"error": "This file is 1.0 MB; the limit is 1 MB."}


def test_a_resume_that_cannot_be_read_gets_the_reason(client_of, agency_a_user, url):
    response = client_of(agency_a_user).post(url, {"resume": _resume(NORMAL_RESUME[:300])})
    assert response.status_code == 422
    assert response.json() == {"error": "The file is damaged or truncated."}


@pytest.mark.parametrize(
    ("build", "filename", "reason"),
    [case[1:] for case in HOSTILE_FILES],
    ids=[case[0] for case in HOSTILE_FILES],
)
def test_a_hostile_file_is_refused_with_a_reason(
    client_of, agency_a_user, url, monkeypatch, build, filename, reason
):
    """Refused at the field (400), or by the sandbox with the file's reason or the prefill's own,
    shorter, timeout (422)."""
    monkeypatch.setattr(services, "PREFILL_TIMEOUT_SECONDS", 3)
    response = client_of(agency_a_user).post(url, {"resume": _resume(build(), filename)})
    assert response.status_code in (400, 422)
    error = response.json()["error"]
    timed_out = error.startswith("Parsing took longer than 3 seconds")
    assert response.status_code == 400 or is_expected_reason(reason, error) or timed_out, error


def test_the_other_side_and_strangers_are_refused(client, client_of, recruiter, url):
    anonymous = client.post(url, {"resume": _resume()})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client_of(recruiter).post(url, {"resume": _resume()}).status_code == 404


def test_only_post(client_of, agency_a_user, url):
    assert client_of(agency_a_user).get(url).status_code == 405


def test_over_the_rate_limit_gets_429(client_of, agency_a_user, agency_a_admin, url, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "resume_prefill": ("user", "2/h")}
    client = client_of(agency_a_user)
    statuses = [client.post(url).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    refused = client.post(url, {"resume": _resume()})
    assert refused.status_code == 429 and "Too many resumes" in refused.json()["error"]
    assert client_of(agency_a_admin).post(url, {"resume": _resume()}).status_code == 200
