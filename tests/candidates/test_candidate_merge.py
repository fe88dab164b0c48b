"""A merge of two agencies' records of one person: each agency keeps its own submission page, with
its status, confirmation, resume and thread, and sees nothing of the other's."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates import services
from candidates.models import Candidate, CandidateMerge, IdentityClaim
from messaging.services import threads as messaging_services
from recruitment.models import AuditEvent
from tests.factories import AssignmentFactory, submit


@pytest.fixture
def both(agency_a_user, agency_b_user, assignment_a, job, recruiter):
    """Ada, presented by A, then (after A's window) by B; each agency wrote in its own thread."""
    first = submit(agency_a_user, assignment_a, resume=SimpleUploadedFile("from-a.txt", b"A"))
    # Time travel: A's claim is 400 days old.
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    second = submit(agency_b_user, assignment_b, resume=SimpleUploadedFile("from-b.txt", b"B"))
    for user, submission, text in (
        (agency_a_user, first, "Word from Agency A"),
        (agency_b_user, second, "Word from Agency B"),
    ):
        messaging_services.candidate_thread_start(
            actor=user, candidate=submission.candidate, body=text
        )
    return {"a": (agency_a_user, first), "b": (agency_b_user, second)}


def _page(client, submission):
    return client.get(reverse("portal-candidates:detail", args=[submission.public_id]))


def _conversation(client, candidate):
    url = reverse("messaging:candidate-thread", args=[candidate.public_id])
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.parametrize("survivor", ["a", "b"])
def test_each_agency_keeps_its_own_submission_page_after_a_merge(
    client_of, recruiter, both, survivor
):
    other = "b" if survivor == "a" else "a"
    services.candidate_merge(
        actor=recruiter, into=both[survivor][1].candidate, merged=both[other][1].candidate
    )
    for side, foreign in (("a", "b"), ("b", "a")):
        user, submission = both[side]
        client = client_of(user)
        page = _page(client, submission)
        html = page.content.decode()
        assert page.context["candidate"] is not None, side
        assert "Status" in html and "Active" in html and "Awaiting answer" in html
        assert f"from-{side}.txt" in html and f"from-{foreign}.txt" not in html
        thread = _conversation(client, page.context["candidate"])
        assert f"Word from Agency {side.upper()}" in thread
        assert f"Word from Agency {foreign.upper()}" not in thread
        assert f"Agency {foreign.upper()}" not in html + thread


def test_the_merged_record_stays_out_of_sight_of_the_other_agency(client_of, recruiter, both):
    (a_user, first), (b_user, second) = both["a"], both["b"]
    services.candidate_merge(actor=recruiter, into=first.candidate, merged=second.candidate)
    conversation = "messaging:candidate-thread"
    for user, record in ((a_user, second.candidate), (b_user, first.candidate)):
        assert (
            client_of(user).get(reverse(conversation, args=[record.public_id])).status_code == 404
        )
    for user, record in ((b_user, second.candidate), (a_user, first.candidate)):
        assert (
            client_of(user).get(reverse(conversation, args=[record.public_id])).status_code == 200
        )
    assert list(Candidate.objects.visible_to(b_user)) == [second.candidate]
    assert list(Candidate.objects.visible_to(recruiter)) == [first.candidate]


def test_the_recruiter_still_sees_both_threads_on_the_survivor(client_of, recruiter, both):
    first, second = both["a"][1], both["b"][1]
    services.candidate_merge(actor=recruiter, into=first.candidate, merged=second.candidate)
    html = _conversation(client_of(recruiter), first.candidate)
    # the latest thread is shown, the other linked
    assert "Word from Agency B" in html and "the conversation with Agency A" in html


def test_a_second_merge_keeps_every_record_one_step_from_the_survivor(
    recruiter, both, agency_a_admin, assignment_a
):
    first, second = both["a"][1], both["b"][1]
    services.candidate_merge(actor=recruiter, into=first.candidate, merged=second.candidate)
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))
    third = submit(agency_a_admin, assignment_a).candidate
    services.candidate_merge(actor=recruiter, into=third, merged=first.candidate)
    assert set(Candidate.objects.filter(merged_into=third)) == {first.candidate, second.candidate}


# The merge itself -----------------------------------------------------------------------------


def test_the_survivor_takes_the_merged_records_email_and_phone_only_where_it_has_none(
    recruiter, both
):
    first, second = both["a"][1].candidate, both["b"][1].candidate
    Candidate.objects.filter(pk=first.pk).update(email="", phone="+447400123456")
    Candidate.objects.filter(pk=second.pk).update(email="ada@b.example", phone="+447400999999")
    services.candidate_merge(actor=recruiter, into=first, merged=second)
    first.refresh_from_db()
    assert (first.email, first.phone) == ("ada@b.example", "+447400123456")


def test_the_merge_record_keeps_the_merged_profile_as_it_was(recruiter, both):
    first, second = both["a"][1].candidate, both["b"][1].candidate
    record = services.candidate_merge(actor=recruiter, into=first, merged=second)
    assert record == CandidateMerge.objects.get()
    assert (record.into, record.merged, record.merged_by) == (first, second, recruiter)
    snapshot = record.snapshot
    assert snapshot["public_id"] == str(second.public_id)
    assert (snapshot["first_name"], snapshot["email"]) == ("Ada", "ada@example.com")
    assert snapshot["agency"] == str(second.agency_id)  # every value as text
    assert snapshot["text_consent_at"] is None and snapshot["phone"] == ""  # an empty one kept


def test_the_merge_is_audited_against_the_survivor(recruiter, both):
    first, second = both["a"][1].candidate, both["b"][1].candidate
    record = services.candidate_merge(actor=recruiter, into=first, merged=second)
    event = AuditEvent.objects.get(action="candidate.merged")
    assert (event.actor, event.object_id, event.agency_id) == (
        recruiter,
        str(first.public_id),
        first.agency_id,
    )
    assert event.summary == f"Merged Ada Lovelace ({second.public_id}) into Ada Lovelace"
    assert event.data == {"merged": record.snapshot}


def test_a_profile_cannot_be_merged_with_itself(recruiter, both):
    first = both["a"][1].candidate
    with pytest.raises(ValidationError) as refused:
        services.candidate_merge(actor=recruiter, into=first, merged=first)
    assert refused.value.messages == ["A candidate cannot be merged with itself."]


@pytest.mark.parametrize("already", ["into", "merged"])
def test_a_profile_already_merged_cannot_take_part_in_another_merge(
    recruiter, both, agency_a_admin, assignment_a, already
):
    first, second = both["a"][1].candidate, both["b"][1].candidate
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))
    third = submit(agency_a_admin, assignment_a).candidate
    services.candidate_merge(actor=recruiter, into=first, merged=second)
    pair = (
        {"into": second, "merged": third}
        if already == "into"
        else {"into": third, "merged": second}
    )
    with pytest.raises(ValidationError) as refused:
        services.candidate_merge(actor=recruiter, **pair)
    assert refused.value.messages == ["One of these candidates was already merged."]
    services.candidate_merge(actor=recruiter, into=first, merged=third)  # the survivor may
