"""Agency B must learn nothing about agency A's objects, by any URL.

OBJECT_URLS names every URL pattern that takes an object id, with agency A's object to put in it
and the person who may rightfully open it. test_every_object_url_is_covered fails when a new URL
with an id is added without an entry, so no view can skip this check.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies import services as agency_services
from messaging.services import seats, texting
from messaging.services import threads as messaging_services
from recruitment import services
from recruitment.models import Notification, Role
from tests.factories import AssignmentFactory, JobFactory, submit

EXEMPT = {
    "agencies:invitation-accept": "reached by a secret token, not an id: tests/agencies/test_invitation_accept.py",
    "account_reset_password_from_key": "allauth: reached by a secret key",
    "account_confirm_email": "allauth: reached by a secret key (email verification is off: invitations verify)",
    "messaging:twilio-status": "Twilio's delivery reports: signed, no login; tests/messaging/test_webhooks.py",
    "candidates:confirm": "the candidate's signed link, no login: tests/candidates/test_confirm.py",
}
EXEMPT_NAMESPACES = {
    "admin": "the Django admin is for active Owners only: tests/recruitment/test_admin.py"
}


@dataclass
class World:
    """Agency A's objects, and the people of both sides."""

    owner: object
    agency_a_admin: object
    agency_b_admin: object
    agency_b_user: object
    job: object
    agency: object
    assignment: object
    invitation: object
    notification: object
    submission: object
    candidate: object
    application: object
    resume: object
    thread: object
    message: object
    attachment: object
    sender_number: object
    seat: object
    identity_conflict: object
    held_text: object


@pytest.fixture
def world(
    owner, recruiter, job, agency_a, agency_a_admin, agency_b_admin, agency_b_user, assignment_a
):
    invitation = agency_services.invitation_create(
        actor=agency_a_admin, email="new@a.example", role=Role.AGENCY_RECRUITER, agency=agency_a
    )
    services.notify(users=[agency_a_admin], text="New job", url="/agency/")
    # Agency B works on the same job, so its people pass every role check and only the scope can refuse them.
    AssignmentFactory(job=job, agency=agency_b_admin.membership.agency)
    resume = SimpleUploadedFile("cv.txt", b"Ada Lovelace\nada@example.com")
    submission = submit(agency_a_admin, assignment_a, resume=resume)
    message = messaging_services.candidate_thread_start(
        actor=agency_a_admin, candidate=submission.candidate, body="Hello",
        files=[SimpleUploadedFile("notes.txt", b"interview notes")],
    )  # fmt: skip
    # Agency A confirmed Ada's email for someone else: a case, with its resume held.
    identity_conflict = submit(
        agency_a_admin,
        assignment_a,
        first_name="Grace",
        last_name="Hopper",
        confirmed_identity="email:ada@example.com",
        resume=SimpleUploadedFile("g.txt", b"Grace"),
    ).identity_conflict
    sender_number = seats.sender_number_add(actor=owner, number="+447400123999")
    seat = seats.seat_assign(actor=owner, user=owner)
    # A WhatsApp text to a candidate who never wrote: held behind the invitation template.
    texted = submit(
        agency_a_admin, assignment_a, first_name="Tex", last_name="Ter", email="tex@example.com",
        phone="+447400123456", text_consent=True,
    ).application  # fmt: skip
    held_text = texting.text_send(
        actor=owner, application=texted, channel="whatsapp", body="Held", night="send"
    )
    return World(
        owner=owner,
        agency_a_admin=agency_a_admin,
        agency_b_admin=agency_b_admin,
        agency_b_user=agency_b_user,
        job=job,
        agency=agency_a,
        assignment=assignment_a,
        invitation=invitation,
        notification=Notification.objects.get(user=agency_a_admin),
        submission=submission,
        candidate=submission.candidate,
        application=submission.application,
        resume=submission.candidate.resumes.get(),
        thread=message.thread,
        message=message,
        attachment=message.attachments.get(),
        sender_number=sender_number,
        seat=seat,
        identity_conflict=identity_conflict,
        held_text=held_text,
    )


# url name -> (kwargs from agency A's world, who may rightfully open it)
OBJECT_URLS = {
    "recruitment:job-detail": (lambda w: {"public_id": w.job.public_id}, "owner"),
    "recruitment:job-edit": (lambda w: {"public_id": w.job.public_id}, "owner"),
    "recruitment:notification-read": (
        lambda w: {"public_id": w.notification.public_id},
        "agency_a_admin",
    ),
    "agencies:agency-detail": (lambda w: {"public_id": w.agency.public_id}, "owner"),
    "agencies:job-agencies": (lambda w: {"public_id": w.job.public_id}, "owner"),
    "agencies:job-send": (lambda w: {"public_id": w.job.public_id}, "owner"),
    "agencies:assignment-edit": (lambda w: {"public_id": w.assignment.public_id}, "owner"),
    "agencies:assignment-withdraw": (lambda w: {"public_id": w.assignment.public_id}, "owner"),
    "agencies:invitation-revoke": (
        lambda w: {"public_id": w.invitation.public_id},
        "agency_a_admin",
    ),
    "agencies:agency-disable": (lambda w: {"public_id": w.agency.public_id}, "owner"),
    "agencies:agency-enable": (lambda w: {"public_id": w.agency.public_id}, "owner"),
    "agencies:user-detail": (lambda w: {"public_id": w.agency_a_admin.public_id}, "owner"),
    "agencies:user-disable": (lambda w: {"public_id": w.agency_a_admin.public_id}, "owner"),
    "agencies:user-enable": (lambda w: {"public_id": w.agency_a_admin.public_id}, "owner"),
    "portal:user-detail": (lambda w: {"public_id": w.agency_a_admin.public_id}, "agency_a_admin"),
    "portal:user-disable": (lambda w: {"public_id": w.agency_a_admin.public_id}, "agency_a_admin"),
    "portal:user-enable": (lambda w: {"public_id": w.agency_a_admin.public_id}, "agency_a_admin"),
    "portal:assignment-detail": (lambda w: {"public_id": w.assignment.public_id}, "agency_a_admin"),
    "portal-candidates:detail": (lambda w: {"public_id": w.submission.public_id}, "agency_a_admin"),
    "candidates:candidate-detail": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "candidates:candidate-similar": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "candidates:candidate-merge": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "candidates:note-add": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "candidates:candidate-contact": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "candidates:identity-conflict": (
        lambda w: {"public_id": w.identity_conflict.public_id},
        "owner",
    ),
    "candidates:identity-conflict-resume": (
        lambda w: {"public_id": w.identity_conflict.public_id},
        "owner",
    ),
    "candidates:application-stage": (lambda w: {"public_id": w.application.public_id}, "owner"),
    "candidates:job-people": (lambda w: {"public_id": w.job.public_id}, "owner"),
    "candidates:resume-download": (lambda w: {"public_id": w.resume.public_id}, "agency_a_admin"),
    "candidates:resume-status": (lambda w: {"public_id": w.resume.public_id}, "agency_a_admin"),
    "messaging:thread": (lambda w: {"public_id": w.thread.public_id}, "owner"),
    "messaging:message-post": (lambda w: {"public_id": w.thread.public_id}, "agency_a_admin"),
    "messaging:message-delete": (lambda w: {"public_id": w.message.public_id}, "agency_a_admin"),
    "messaging:attachment": (lambda w: {"public_id": w.attachment.public_id}, "owner"),
    "messaging:candidate-thread": (
        lambda w: {"public_id": w.candidate.public_id},
        "agency_a_admin",
    ),
    "messaging:candidate-files": (lambda w: {"public_id": w.candidate.public_id}, "owner"),
    "messaging:application-texts": (lambda w: {"public_id": w.application.public_id}, "owner"),
    "messaging:application-text-send": (lambda w: {"public_id": w.application.public_id}, "owner"),
    "messaging:application-text-invite": (
        lambda w: {"public_id": w.application.public_id},
        "owner",
    ),
    "messaging:application-text-review": (
        lambda w: {"public_id": w.application.public_id},
        "owner",
    ),
    "messaging:sender-number-toggle": (lambda w: {"public_id": w.sender_number.public_id}, "owner"),
    "messaging:text-cancel": (lambda w: {"public_id": w.held_text.public_id}, "owner"),
}


def _patterns_with_parameters(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _patterns_with_parameters(entry, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.regex.groupindex and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_object_url_is_covered():
    uncovered = sorted(set(_patterns_with_parameters()) - OBJECT_URLS.keys() - EXEMPT.keys())
    assert not uncovered, f"add these URLs to OBJECT_URLS in tests/test_tenancy.py: {uncovered}"


def _request_as_allowed(client, url):
    """GET, or POST where the view takes only POST (its 405 to GET comes before any lookup)."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("intruder", ["agency_b_admin", "agency_b_user"])
def test_other_agency_gets_404(client, world, name, intruder):
    make_kwargs, _rightful = OBJECT_URLS[name]
    client.force_login(getattr(world, intruder))
    assert _request_as_allowed(client, reverse(name, kwargs=make_kwargs(world))).status_code == 404


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_rightful_user_is_not_refused(client, world, name):
    """The control group: the same URLs work for the person they belong to, so a 404 above means something."""
    make_kwargs, rightful = OBJECT_URLS[name]
    client.force_login(getattr(world, rightful))
    response = _request_as_allowed(client, reverse(name, kwargs=make_kwargs(world)))
    # 422: an empty POST reached the view and was refused for its content, not for who sent it.
    assert response.status_code in (200, 302, 422), response.status_code


APPLICATION_URLS = sorted(
    name for name, (make_kwargs, _rightful) in OBJECT_URLS.items()
    if "application" in make_kwargs.__code__.co_names
)  # fmt: skip


@pytest.fixture
def manager_on_another_job(world, hiring_manager, recruiter):
    """A hiring manager with a texting seat who sees Ada through another job of hers, and that
    job's application."""
    seats.seat_assign(actor=world.owner, user=hiring_manager)
    other_job = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    assignment = AssignmentFactory(job=other_job, agency=world.agency)
    return hiring_manager, submit(world.agency_a_admin, assignment).application


def test_application_urls_are_listed():
    assert {"messaging:application-texts", "messaging:application-text-send"} < set(
        APPLICATION_URLS
    )


@pytest.mark.parametrize("name", APPLICATION_URLS)
def test_hiring_manager_gets_404_for_another_jobs_application(
    client, world, manager_on_another_job, name
):
    """They see the candidate, through their own job, but not her application to a job whose
    hiring team they are not on: 404, where the same URL of their own job's application works.
    A view their role may not use at all (stage changes) refuses both alike, before any lookup."""
    manager, own_application = manager_on_another_job
    client.force_login(manager)
    own = reverse(name, kwargs={"public_id": own_application.public_id})
    own_status = _request_as_allowed(client, own).status_code
    assert own_status in (200, 302, 403, 422)
    other = reverse(name, kwargs={"public_id": world.application.public_id})
    other_status = _request_as_allowed(client, other).status_code
    assert other_status == 404 or other_status == own_status == 403
