from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates.models import (
    Application,
    Candidate,
    CandidateMerge,
    IdentityClaim,
    Resume,
    Submission,
)
from recruitment.models import AuditEvent
from tests.factories import AssignmentFactory, submit


@pytest.fixture
def submission(agency_a_user, assignment_a):
    return submit(agency_a_user, assignment_a, note="Available in May")


def _url(candidate):
    return reverse("candidates:candidate-detail", args=[candidate.public_id])


def test_shows_ownership_record(client_of, recruiter, submission, agency_a_user):
    html = client_of(recruiter).get(_url(submission.candidate)).content.decode()
    for text in (
        "Agency A",
        str(agency_a_user),
        "Owned until",
        "Available in May",
        "Agency portal",
    ):
        assert text in html


def test_internal_notes_never_reach_the_agency(client_of, recruiter, agency_a_user, submission):
    client_of(recruiter).post(
        reverse("candidates:note-add", args=[submission.candidate.public_id]),
        {"body": "Secret: salary too high"},
    )
    assert (
        "Secret: salary too high"
        in client_of(recruiter).get(_url(submission.candidate)).content.decode()
    )
    agency = client_of(agency_a_user)
    assert agency.get(_url(submission.candidate)).status_code == 404
    own_page = agency.get(reverse("portal-candidates:detail", args=[submission.public_id]))
    html = own_page.content.decode()
    assert own_page.status_code == 200 and "Ada Lovelace" in html  # the agency's own page...
    assert "Secret" not in html  # ...without the note


def test_stage_change_shows_to_the_agency_as_active_hired_rejected(
    client_of, recruiter, agency_a_user, submission
):
    stage_url = reverse("candidates:application-stage", args=[submission.application.public_id])
    agency_page = reverse("portal-candidates:detail", args=[submission.public_id])
    client_of(recruiter).post(stage_url, {"stage": "interview"})
    assert "Active" in client_of(agency_a_user).get(agency_page).content.decode()
    client_of(recruiter).post(stage_url, {"stage": "rejected", "reason": "Internal: too junior"})
    html = client_of(agency_a_user).get(agency_page).content.decode()
    assert "Rejected" in html and "too junior" not in html and "Interview" not in html


def test_rejection_without_reason_is_refused(client_of, recruiter, submission):
    client_of(recruiter).post(
        reverse("candidates:application-stage", args=[submission.application.public_id]),
        {"stage": "rejected"},
    )
    assert Application.objects.get().stage == "lead"


def test_an_empty_note_is_refused_at_its_field(client_of, recruiter, submission):
    response = client_of(recruiter).post(
        reverse("candidates:note-add", args=[submission.candidate.public_id]), {"body": "  "}
    )
    assert response.status_code == 422
    assert response.context["note_form"].errors == {"body": ["This field is required."]}
    assert not submission.candidate.notes.exists()


def test_an_over_long_note_says_how_long_and_keeps_the_text(client_of, recruiter, submission):
    client = client_of(recruiter)
    url = reverse("candidates:note-add", args=[submission.candidate.public_id])
    response = client.post(url, {"body": "Long story. " + "x" * 9988})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Ensure this value has at most 5000 characters (it has 10000)." in html
    assert "Write something" not in html and "Long story. xxxx" in html  # the text is kept
    assert "Available in May" in html  # the rest of the candidate page is there
    assert not submission.candidate.notes.exists()
    assert client.post(url, {"body": "Short one"}).status_code == 302  # the positive twin
    assert submission.candidate.notes.get().body == "Short one"


def _flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_over_long_rejection_reason_says_so_not_that_it_is_missing(
    client_of, recruiter, submission
):
    url = reverse("candidates:application-stage", args=[submission.application.public_id])
    client = client_of(recruiter)
    response = client.post(url, {"stage": "rejected", "reason": "r" * 301}, follow=True)
    assert _flash(response) == [
        "Rejection reason: Ensure this value has at most 300 characters (it has 301)."
    ]
    assert Application.objects.get().stage == "lead"
    response = client.post(url, {"stage": "rejected"}, follow=True)
    assert _flash(response) == ["Rejection reason: Give a reason for the rejection."]


def test_bulk_stage_change_says_what_is_wrong_with_the_reason(client_of, recruiter, submission):
    response = client_of(recruiter).post(
        reverse("candidates:applications-bulk-stage"),
        {
            "applications": [submission.application.public_id],
            "stage": "rejected",
            "reason": "r" * 400,
        },
    )
    assert _flash(response) == [
        "Rejection reason: Ensure this value has at most 300 characters (it has 400)."
    ]
    assert Application.objects.get().stage == "lead"


def _expire_claims():
    """Let the ownership window pass, so another agency's submission of the same person is New."""
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))


def test_merge_keeps_every_application_submission_file_and_is_recorded(
    client_of, recruiter, submission, agency_b_user, job
):
    _expire_claims()
    other = submit(
        agency_b_user,
        AssignmentFactory(job=job, agency=agency_b_user.membership.agency),
        resume=SimpleUploadedFile("b.txt", b"Ada"),
    )
    keep, gone = submission.candidate, other.candidate
    response = client_of(recruiter).post(
        reverse("candidates:candidate-merge", args=[keep.public_id]), {"merged": gone.public_id}
    )
    assert response.status_code == 302
    assert Application.objects.filter(candidate=keep).count() == 2
    assert Submission.objects.filter(candidate=keep).count() == 2
    assert Resume.objects.filter(candidate=keep).count() == 1
    gone.refresh_from_db()
    assert (
        gone.merged_into == keep
        and CandidateMerge.objects.get().snapshot["email"] == "ada@example.com"
    )
    assert AuditEvent.objects.filter(action="candidate.merged").exists()
    # the merged profile's old link leads to the survivor
    assert client_of(recruiter).get(_url(gone)).url == _url(keep)
    assert list(Candidate.objects.visible_to(recruiter)) == [keep]


def test_similar_candidates_are_offered_for_merge(
    client_of, recruiter, submission, agency_b_user, job
):
    _expire_claims()
    other = submit(
        agency_b_user, AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    )
    client = client_of(recruiter)
    similar_url = reverse("candidates:candidate-similar", args=[submission.candidate.public_id])
    assert f'hx-get="{similar_url}"' in client.get(_url(submission.candidate)).content.decode()
    response = client.get(similar_url, headers={"HX-Request": "true"})
    assert list(response.context["similar"]) == [other.candidate]
    assert "Merge into this profile" in response.content.decode()


def test_only_job_managers_are_offered_merges(client_of, hiring_manager, submission, job):
    job.hiring_team.add(hiring_manager)
    client = client_of(hiring_manager)
    similar_url = reverse("candidates:candidate-similar", args=[submission.candidate.public_id])
    assert similar_url not in client.get(_url(submission.candidate)).content.decode()
    assert client.get(similar_url).status_code == 403


def test_hiring_manager_sees_candidates_of_their_jobs_only(
    client_of, hiring_manager, submission, job
):
    client = client_of(hiring_manager)
    assert client.get(_url(submission.candidate)).status_code == 404
    job.hiring_team.add(hiring_manager)
    assert client.get(_url(submission.candidate)).status_code == 200


def test_job_page_panel_counts_stages(client_of, recruiter, submission, job):
    html = (
        client_of(recruiter)
        .get(reverse("candidates:job-people", args=[job.public_id]), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "<html" not in html and "Ada Lovelace" in html


@pytest.fixture
def on_two_jobs(recruiter, agency_a_user, submission, django_capture_on_commit_callbacks):
    """Ada applied to `job` and to another job, where she was rejected and emailed: the
    application, its stage, its reason and its conversation are that job's team's."""
    from candidates import services
    from messaging.services import texting
    from tests.factories import JobFactory

    other_job = JobFactory(title="Data Platform Lead", coordinator=recruiter)
    other = submit(agency_a_user, AssignmentFactory(job=other_job, agency=submission.agency))
    services.application_set_stage(
        actor=recruiter, application=other.application, stage="rejected",
        reason="Weak on platform design",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        texting.email_candidate(
            actor=recruiter, application=other.application, subject="Platform interview",
            body="Thanks for your time.",
        )  # fmt: skip
    return submission.application, other.application


@pytest.mark.parametrize("viewer", ["hiring_manager", "recruiter"])
def test_a_hiring_manager_sees_only_their_jobs_applications_of_a_candidate(
    request, client_of, job, on_two_jobs, viewer
):
    """A hiring manager on one of Ada's jobs sees that application on every page, and nothing of
    the other job's (title, stage, reason, conversation); a recruiter, the twin, sees both."""
    job.hiring_team.add(request.getfixturevalue("hiring_manager"))
    own, other = on_two_jobs
    client = client_of(request.getfixturevalue(viewer))
    sees_other = viewer == "recruiter"
    other_texts = reverse("messaging:application-texts", args=[other.public_id])
    traces = {  # page -> what of the other job's application it would show
        _url(own.candidate): ("Data Platform Lead", "Weak on platform design", other_texts),
        reverse("candidates:people"): ("Data Platform Lead",),
        reverse("messaging:conversations"): ("Data Platform Lead", other_texts),
    }
    for url, shown in traces.items():
        html = client.get(url).content.decode()
        for trace in shown:
            assert (trace in html) == sees_other, (url, trace)
    assert "Senior Backend Engineer" in client.get(_url(own.candidate)).content.decode()
    rows = client.get(reverse("candidates:people")).context["page"].object_list
    assert {row.job.title for row in rows} == (
        {"Senior Backend Engineer", "Data Platform Lead"}
        if sees_other
        else {"Senior Backend Engineer"}
    )
    assert client.get(other_texts).status_code == (200 if sees_other else 404)
    own_texts = reverse("messaging:application-texts", args=[own.public_id])
    assert client.get(own_texts).status_code == 200
