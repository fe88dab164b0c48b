"""Email notices: after commit, to the other participants only, one per burst, none once read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from messaging.models import Thread
from messaging.services import threads as services
from recruitment.models import Role
from tests.factories import AgencyUserFactory, AssignmentFactory, JobFactory, UserFactory


def _after_the_delay(settings):
    return timezone.now() + timedelta(seconds=settings.MESSAGE_NOTIFY_DELAY_SECONDS + 1)


@pytest.fixture
def notify(django_capture_on_commit_callbacks, settings):
    """Run beat's sweep once the delay has passed (it runs thread_notify, eagerly here), and let
    the emails go out as they do after commit."""

    def run(thread_id):
        with django_capture_on_commit_callbacks(execute=True):
            services.thread_notifications_send(now=_after_the_delay(settings))
        assert Thread.objects.get(pk=thread_id).notify_due_at is None

    return run


def _due(thread):
    return Thread.objects.get(pk=thread.pk).notify_due_at


def _notices(to):
    return [m for m in mail.outbox if m.to == [to.email] and "new message" in m.subject]


def test_a_burst_of_three_messages_sends_one_email(
    notify, submission, recruiter, agency_a_user, agency_a_admin, settings
):
    thread = services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="One"
    ).thread
    due = _due(thread)
    services.message_post(actor=recruiter, thread=thread, body="Two")
    services.message_post(actor=recruiter, thread=thread, body="Three")
    assert _due(thread) == due  # the first message scheduled the send; the others ride along
    assert timedelta(seconds=settings.MESSAGE_NOTIFY_DELAY_SECONDS - 5) < due - timezone.now()
    assert services.thread_notifications_send() == 0 and not mail.outbox  # not before the delay
    notify(thread.pk)  # what beat does once it has passed
    for person in (agency_a_user, agency_a_admin):
        [email] = _notices(person)
        assert "3 new messages" in email.subject
        assert all(word in email.body for word in ("One", "Two", "Three"))
        assert f"/threads/{thread.public_id}/" in email.body
    assert not _notices(recruiter)  # never to the author


def test_nothing_is_sent_twice_and_nothing_to_those_who_read(
    notify, submission, recruiter, agency_a_user, agency_a_admin
):
    thread = services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="One"
    ).thread
    services.thread_mark_read(user=agency_a_user, thread=thread)
    notify(thread.pk)
    notify(thread.pk)
    services.thread_notify(thread_id=thread.pk)  # the task delivered again
    assert not _notices(agency_a_user)
    assert len(_notices(agency_a_admin)) == 1


def test_a_message_after_the_batch_schedules_the_next_one(
    notify, submission, recruiter, agency_a_admin
):
    thread = services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="One"
    ).thread
    notify(thread.pk)
    services.message_post(actor=recruiter, thread=thread, body="Later")
    assert _due(thread) is not None
    notify(thread.pk)
    assert [m.subject for m in _notices(agency_a_admin)] == ["1 new message: Ada Lovelace"] * 2


def test_colleagues_who_cannot_see_the_thread_are_not_told(
    notify, submission, recruiter, agency_a, agency_a_user, agency_a_admin
):
    colleague = AgencyUserFactory(agency=agency_a)
    thread = services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="One"
    ).thread
    notify(thread.pk)
    assert not _notices(colleague)
    # the same email reached those who see the thread: the submitter and the agency's admin
    assert len(_notices(agency_a_user)) == 1 and len(_notices(agency_a_admin)) == 1


def test_private_thread_tells_only_the_other_participant(
    notify, submission, recruiter, agency_a_user, agency_a_admin
):
    thread = services.private_thread_start(
        actor=agency_a_user, partner=recruiter, body="Private"
    ).thread
    notify(thread.pk)
    assert (
        len(_notices(recruiter)) == 1
        and not _notices(agency_a_admin)
        and not _notices(agency_a_user)
    )


def test_deleted_messages_are_not_emailed(notify, submission, recruiter, agency_a_admin):
    message = services.candidate_thread_start(
        actor=recruiter, candidate=submission.candidate, body="Oops"
    )
    services.message_delete(actor=recruiter, message=message)
    notify(message.thread_id)
    assert not _notices(agency_a_admin)
    # the next message in the same thread is emailed, without the deleted one
    services.message_post(actor=recruiter, thread=message.thread, body="Kept")
    notify(message.thread_id)
    [email] = _notices(agency_a_admin)
    assert "1 new message" in email.subject and "Kept" in email.body and "Oops" not in email.body


def test_a_general_thread_from_an_agency_tells_the_coordinators_of_its_jobs(
    notify, assignment_a, recruiter, agency_a, agency_b, agency_a_user, agency_a_admin
):
    elsewhere = UserFactory(role=Role.RECRUITER, email="elsewhere@example.com")
    AssignmentFactory(job=JobFactory(coordinator=elsewhere), agency=agency_b)
    withdrawn = UserFactory(role=Role.RECRUITER, email="withdrawn@example.com")
    AssignmentFactory(
        job=JobFactory(coordinator=withdrawn), agency=agency_a, withdrawn_at=timezone.now()
    )
    thread = services.general_thread_start(
        actor=agency_a_user, agency=agency_a, subject="Fees", body="Can we talk fees?"
    ).thread
    notify(thread.pk)
    assert len(_notices(recruiter)) == 1 and len(_notices(agency_a_admin)) == 1
    assert not _notices(elsewhere) and not _notices(withdrawn) and not _notices(agency_a_user)
