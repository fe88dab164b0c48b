"""Resume parsing through the service and the sandbox child process, as the worker runs it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates import services
from candidates.models import Resume, Submission
from tests.factories import submit

# A resume with a section of each kind; the skill and the employer need escaping.
PROFILE_RESUME = b"""Ada Lovelace
ada@example.com

Summary
Analytical engineer who writes programs for engines.

Experience
Senior Analyst, Babbage & Co
03/2019 - present
- Wrote the first published algorithm for the Analytical Engine
- Annotated the memoir of Menabrea

Education
University of London
BSc Mathematics
2011 - 2014

Skills
Python, C++ <templates>, Technical writing

Languages
English (native), French (fluent)
"""


@pytest.fixture
def parse_now(django_capture_on_commit_callbacks):
    def run(user, assignment, name, content, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            submission = submit(
                user, assignment, resume=SimpleUploadedFile(name, content), **fields
            )
        return Resume.objects.get(candidate=submission.candidate)

    return run


def test_real_resume_is_parsed_into_summary_education_and_experience(
    parse_now, agency_a_user, assignment_a, sample_resumes
):
    resume = parse_now(
        agency_a_user,
        assignment_a,
        "cv.pdf",
        (sample_resumes / "rendercv_classic.pdf").read_bytes(),
    )
    assert resume.status == Resume.Status.PARSED and resume.attempts == 1
    assert (resume.parsed_name, resume.parsed_email) == ("John Doe", "john.doe@email.com")
    assert resume.education_summary and resume.experience and "John Doe" in resume.text


def test_a_parse_stores_experience_education_skills_and_languages(
    parse_now, agency_a_user, assignment_a
):
    resume = parse_now(agency_a_user, assignment_a, "cv.txt", PROFILE_RESUME)
    assert resume.experience == [
        {
            "employer": "Babbage & Co",
            "title": "Senior Analyst",
            "start": "03/2019",
            "end": "present",
            "description": "Wrote the first published algorithm for the Analytical Engine\n"
            "Annotated the memoir of Menabrea",
        }
    ]
    assert resume.education == [
        {
            "institution": "University of London",
            "degree": "BSc Mathematics",
            "start": "2011",
            "end": "2014",
        }
    ]
    assert resume.skills == ["Python", "C++ <templates>", "Technical writing"]
    assert resume.languages == ["English", "French"]


@pytest.fixture
def profile_submission(parse_now, agency_a_user, assignment_a):
    parse_now(agency_a_user, assignment_a, "cv.txt", PROFILE_RESUME)
    return Submission.objects.get()


def _candidate_pages(submission):
    return {
        "recruiter": reverse("candidates:candidate-detail", args=[submission.candidate.public_id]),
        "agency_a_user": reverse("portal-candidates:detail", args=[submission.public_id]),
    }


@pytest.mark.parametrize("viewer", ["recruiter", "agency_a_user"])
def test_both_candidate_pages_show_the_structured_resume(
    request, client_of, profile_submission, viewer
):
    url = _candidate_pages(profile_submission)[viewer]
    html = client_of(request.getfixturevalue(viewer)).get(url).content.decode()
    assert "<strong>BSc Mathematics</strong> · University of London" in html
    assert "2011 – 2014" in html
    assert "<strong>Senior Analyst</strong> · Babbage &amp; Co" in html
    assert "Wrote the first published algorithm for the Analytical Engine<br>" in html
    assert "<li>C++ &lt;templates&gt;</li>" in html and "<templates>" not in html
    assert "<li>French</li>" in html
    assert "could be recognised" not in html


def test_another_agency_sees_neither_candidate_page(client_of, agency_b_user, profile_submission):
    for url in _candidate_pages(profile_submission).values():
        assert client_of(agency_b_user).get(url).status_code == 404


def test_a_resume_parsed_before_education_entries_shows_the_education_text(
    client_of, recruiter, profile_submission
):
    Resume.objects.update(
        education=[], skills=[], languages=[], education_summary="Certificate in Engines"
    )
    html = client_of(recruiter).get(_candidate_pages(profile_submission)["recruiter"])
    html = html.content.decode()
    assert '<p class="prose">Certificate in Engines</p>' in html
    assert "University of London" not in html and ">Skills<" not in html


def test_a_resume_with_no_section_recognised_says_so(client_of, recruiter, profile_submission):
    Resume.objects.update(
        summary="", experience=[], education=[], education_summary="", skills=[], languages=[]
    )
    html = client_of(recruiter).get(_candidate_pages(profile_submission)["recruiter"])
    assert "no summary, experience, education, skills or languages could be recognised" in (
        html.content.decode()
    )
    Resume.objects.update(languages=["Deutsch"])
    html = client_of(recruiter).get(_candidate_pages(profile_submission)["recruiter"])
    assert "could be recognised" not in html.content.decode()


def test_hostile_file_fails_with_a_clear_reason_and_keeps_the_original(
    parse_now, agency_a_user, assignment_a, sample_resumes
):
    truncated = (sample_resumes / "rendercv_classic.pdf").read_bytes()[:20000]
    resume = parse_now(agency_a_user, assignment_a, "cv.pdf", truncated)
    assert resume.status == Resume.Status.FAILED and "damaged or truncated" in resume.failure_reason
    assert resume.file.read() == truncated


def test_a_second_delivery_of_the_task_does_nothing(parse_now, agency_a_user, assignment_a):
    resume = parse_now(agency_a_user, assignment_a, "cv.txt", b"Ada Lovelace\nada@example.com\n")
    services.resume_parse(resume_id=resume.pk)
    resume.refresh_from_db()
    assert resume.attempts == 1 and resume.status == Resume.Status.PARSED


def test_an_interrupted_parse_runs_once_more_then_gives_up(agency_a_user, assignment_a):
    submission = submit(
        agency_a_user, assignment_a, resume=SimpleUploadedFile("cv.txt", b"Ada Lovelace")
    )
    resume = Resume.objects.get(candidate=submission.candidate)
    Resume.objects.filter(pk=resume.pk).update(
        status=Resume.Status.PARSING, attempts=1
    )  # a worker died mid-parse
    services.resume_parse(resume_id=resume.pk)
    resume.refresh_from_db()
    assert (resume.status, resume.attempts) == (Resume.Status.PARSED, 2)
    Resume.objects.filter(pk=resume.pk).update(status=Resume.Status.PARSING)  # died again
    services.resume_parse(resume_id=resume.pk)
    resume.refresh_from_db()
    assert resume.status == Resume.Status.FAILED and "interrupted twice" in resume.failure_reason


def test_status_fragment_polls_until_done(client_of, agency_a_user, assignment_a, parse_now):
    submission = submit(
        agency_a_user, assignment_a, resume=SimpleUploadedFile("cv.txt", b"Ada Lovelace")
    )
    resume = Resume.objects.get(candidate=submission.candidate)
    client = client_of(agency_a_user)
    url = reverse("candidates:resume-status", args=[resume.public_id])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Waiting to be read" in html
    services.resume_parse(resume_id=resume.pk)
    html = client.get(url).content.decode()
    assert "hx-trigger" not in html and "Download" in html


def test_original_file_downloads_for_both_sides(client_of, agency_a_user, recruiter, assignment_a):
    submission = submit(
        agency_a_user, assignment_a, resume=SimpleUploadedFile("ada cv.txt", b"Ada Lovelace")
    )
    resume = Resume.objects.get(candidate=submission.candidate)
    for user in (agency_a_user, recruiter):
        response = client_of(user).get(
            reverse("candidates:resume-download", args=[resume.public_id])
        )
        assert b"".join(response.streaming_content) == b"Ada Lovelace"
        assert 'attachment; filename="ada cv.txt"' in response["Content-Disposition"]


def test_a_download_lost_from_storage_answers_404(client_of, agency_a_user, assignment_a):
    submission = submit(
        agency_a_user, assignment_a, resume=SimpleUploadedFile("ada cv.txt", b"Ada Lovelace")
    )
    resume = Resume.objects.get(candidate=submission.candidate)
    url = reverse("candidates:resume-download", args=[resume.public_id])
    assert client_of(agency_a_user).get(url).status_code == 200  # while the file is there
    resume.file.storage.delete(resume.file.name)
    assert client_of(agency_a_user).get(url).status_code == 404


def test_a_file_missing_from_storage_fails_with_a_reason(agency_a_user, assignment_a):
    submission = submit(
        agency_a_user, assignment_a, resume=SimpleUploadedFile("cv.txt", b"Ada Lovelace")
    )
    resume = Resume.objects.get(candidate=submission.candidate)
    resume.file.storage.delete(resume.file.name)
    services.resume_parse(resume_id=resume.pk)
    resume.refresh_from_db()
    assert resume.status == Resume.Status.FAILED and "missing from storage" in resume.failure_reason
