"""Who sees which thread, exactly as SPEC.md says."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from messaging.models import Thread
from messaging.services import threads as services
from recruitment.models import AuditEvent
from tests.factories import AgencyUserFactory


def _visible(user):
    return set(Thread.objects.visible_to(user))


def test_candidate_thread_is_seen_by_employer_the_submitter_and_agency_admins(
    candidate_thread, recruiter, owner, agency_a_user, agency_a_admin, agency_a, agency_b_admin
):
    colleague = AgencyUserFactory(agency=agency_a)
    for user in (recruiter, owner, agency_a_user, agency_a_admin):
        assert candidate_thread in _visible(user)
    for user in (colleague, agency_b_admin):
        assert candidate_thread not in _visible(user)


def test_hiring_manager_sees_candidate_threads_of_their_jobs_only(
    candidate_thread, hiring_manager, job
):
    assert candidate_thread not in _visible(hiring_manager)
    job.hiring_team.add(hiring_manager)
    assert candidate_thread in _visible(hiring_manager)


def test_private_thread_is_seen_by_its_two_participants_only(
    recruiter, owner, agency_a_user, agency_a_admin, submission
):
    thread = services.private_thread_start(
        actor=agency_a_user, partner=recruiter, body="Between us"
    ).thread
    assert _visible(recruiter) >= {thread} and _visible(agency_a_user) >= {thread}
    for outsider in (owner, agency_a_admin):
        assert thread not in _visible(outsider)


def test_agency_recruiter_cannot_read_a_colleagues_private_thread(
    client_of, recruiter, agency_a, agency_a_user, submission
):
    thread = services.private_thread_start(
        actor=agency_a_user, partner=recruiter, body="Between us"
    ).thread
    colleague = AgencyUserFactory(agency=agency_a)
    url = reverse("messaging:thread", args=[thread.public_id])
    assert client_of(colleague).get(url).status_code == 404
    assert client_of(agency_a_user).get(url).status_code == 200  # its participant reads it


def test_general_thread_is_seen_by_the_agency_and_the_recruiters(
    recruiter, agency_a, agency_a_user, agency_b_user, hiring_manager
):
    thread = services.general_thread_start(
        actor=recruiter, agency=agency_a, subject="Q3 plans", body="Hello"
    ).thread
    assert thread in _visible(agency_a_user) and thread in _visible(recruiter)
    assert thread not in _visible(agency_b_user) and thread not in _visible(hiring_manager)


def test_agency_user_may_write_privately_only_to_the_coordinator_or_an_earlier_partner(
    agency_a_user, recruiter, owner, submission
):
    with pytest.raises(PermissionDenied):
        services.private_thread_start(actor=agency_a_user, partner=owner, body="Hi")
    services.private_thread_start(
        actor=agency_a_user, partner=recruiter, body="Hi"
    )  # the coordinator
    services.private_thread_start(
        actor=owner, partner=agency_a_user, body="Hi back"
    )  # employer may start
    services.private_thread_start(
        actor=agency_a_user, partner=owner, body="Thanks"
    )  # now an earlier partner
    assert Thread.objects.filter(kind="private").count() == 2


def test_agency_b_sees_nothing_of_agency_a_in_its_inbox(
    client_of, candidate_thread, agency_b_admin, agency_a_admin, agency_a, recruiter
):
    services.general_thread_start(
        actor=recruiter, agency=agency_a, subject="For A only", body="Secret plans"
    )

    def inbox(user, **query):
        return client_of(user).get(reverse("messaging:agency-inbox"), query)

    html = inbox(agency_a_admin).content.decode()  # the candidate is Ada Lovelace
    assert "Hi Agency A" in html and "Secret plans" in html and "Ada" in html
    assert inbox(agency_a_admin, q="secret").context["page"].paginator.count == 1

    html = inbox(agency_b_admin).content.decode()
    assert "Hi Agency A" not in html and "Secret plans" not in html and "Ada" not in html
    assert inbox(agency_b_admin, q="secret").context["page"].paginator.count == 0


def test_deleted_message_is_gone_from_every_page_and_kept_in_the_audit_log(
    client_of, candidate_thread, recruiter, agency_a_user, submission
):
    message = services.message_post(
        actor=recruiter, thread=candidate_thread, body="Offer is 95k, keep it quiet"
    )
    services.message_delete(actor=recruiter, message=message)
    pages = [
        (recruiter, reverse("messaging:thread", args=[candidate_thread.public_id])),
        (recruiter, reverse("messaging:inbox")),
        (
            recruiter,
            reverse("messaging:candidate-thread", args=[submission.candidate.public_id]),
        ),
        (agency_a_user, reverse("messaging:thread", args=[candidate_thread.public_id])),
        (agency_a_user, reverse("messaging:agency-inbox")),
        (agency_a_user, reverse("messaging:agency-inbox") + "?q=quiet"),
    ]
    for user, url in pages:
        html = client_of(user).get(url).content.decode()
        assert "95k" not in html, url
    assert "Message deleted" in client_of(agency_a_user).get(pages[3][1]).content.decode()
    event = AuditEvent.objects.get(action="message.deleted")
    assert event.data["body"] == "Offer is 95k, keep it quiet"


def test_only_the_author_may_delete(client_of, candidate_thread, agency_a_user):
    message = candidate_thread.messages.get()
    response = client_of(agency_a_user).post(
        reverse("messaging:message-delete", args=[message.public_id])
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert not message.is_deleted


def test_a_hiring_manager_sees_the_general_thread_they_started(
    hiring_manager, job, assignment_a, agency_a, recruiter
):
    job.hiring_team.add(hiring_manager)
    own = services.general_thread_start(
        actor=hiring_manager, agency=agency_a, subject="Interview slots", body="Hello"
    ).thread
    theirs = services.general_thread_start(
        actor=recruiter, agency=agency_a, subject="Q3 plans", body="Hello"
    ).thread
    assert own in _visible(hiring_manager) and theirs not in _visible(hiring_manager)


def test_a_hiring_manager_taken_off_the_job_no_longer_sees_the_candidate_thread_they_started(
    hiring_manager, job, submission
):
    job.hiring_team.add(hiring_manager)
    thread = services.candidate_thread_start(
        actor=hiring_manager, candidate=submission.candidate, body="Is she available?"
    ).thread
    assert thread in _visible(hiring_manager)
    job.hiring_team.remove(hiring_manager)
    assert thread not in _visible(hiring_manager)
