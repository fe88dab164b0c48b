"""The invitation services: which links still work, what accepting creates, what revoking does.
Each refusal is shown beside the same invitation being accepted while it was still good."""

import re
import threading
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from agencies import services
from agencies.models import Invitation, Membership, hash_token
from recruitment.models import AuditEvent, Role, User
from tests.factories import UserFactory

PASSWORD = "a-long-passphrase"


@pytest.fixture
def invite(owner, django_capture_on_commit_callbacks):
    """Invite Nia through the service; the token is the one in the link of her email."""

    def create(*, agency=None, role=Role.RECRUITER, email="nia@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                actor=owner,
                email=email,
                role=role,
                agency=agency,
                first_name="Nia",
                last_name="Brooks",
            )
        token = re.search(r"/invitations/accept/([^/\s]+)/", mail.outbox[-1].body).group(1)
        return token, invitation

    return create


def accept(token, password=PASSWORD):
    return services.invitation_accept(
        token=token, first_name="Nia", last_name="Brooks", password=password
    )


# Which links work -----------------------------------------------------------------------------


def test_a_pending_link_finds_its_invitation(invite, agency_a):
    token, invitation = invite(agency=agency_a, role=Role.AGENCY_RECRUITER)
    assert services.invitation_for_token(token) == invitation


USED = "This invitation has already been used. Sign in with your email and password."


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda invitation: _set(invitation, accepted_at=timezone.now()), USED),
        (
            lambda invitation: _set(invitation, revoked_at=timezone.now()),
            "This invitation was withdrawn. Ask the person who invited you for a new one.",
        ),
        (
            lambda invitation: _set(invitation, expires_at=timezone.now()),
            "This invitation has expired. Ask the person who invited you to send a new one.",
        ),
        (
            lambda invitation: _set(invitation.agency, is_active=False),
            "This agency's access has been disabled.",
        ),
    ],
    ids=["accepted", "revoked", "expired", "agency-disabled"],
)
def test_a_spent_link_says_why_it_no_longer_works(invite, agency_a, spoil, message):
    token, invitation = invite(agency=agency_a, role=Role.AGENCY_RECRUITER)
    assert services.invitation_for_token(token) == invitation  # it worked until then
    spoil(invitation)
    for attempt in (lambda: services.invitation_for_token(token), lambda: accept(token)):
        with pytest.raises(services.InvitationInvalid) as refused:
            attempt()
        assert str(refused.value) == message
    assert not User.objects.filter(email="nia@example.com").exists()


def test_a_forged_link_is_not_valid(invite):
    token, invitation = invite()
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(services.InvitationInvalid, match="not valid"):
        services.invitation_for_token(forged)
    assert services.invitation_for_token(token) == invitation


def _set(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=list(fields))


def test_an_employer_invitation_needs_no_agency(invite):
    token, invitation = invite()
    assert services.invitation_for_token(token) == invitation


def test_the_audit_log_says_who_was_invited_as_what(owner, agency_a_admin, agency_a, agency_b_user):
    staff = services.invitation_create(
        actor=owner, email=" Sam@Example.com ", role=Role.RECRUITER, agency=None
    )
    services.invitation_create(
        actor=agency_a_admin, email="ana@a.example", role=Role.AGENCY_RECRUITER, agency=agency_a
    )
    services.invitation_create(
        actor=agency_a_admin, email=agency_b_user.email, role=Role.AGENCY_ADMIN, agency=agency_a
    )
    events = AuditEvent.objects.filter(action="invitation.sent").order_by("id")
    assert [(event.summary, event.data) for event in events] == [
        ("Invited sam@example.com as Recruiter", {}),
        ("Invited ana@a.example as Agency recruiter of Agency A", {}),
        (
            f"Invited {agency_b_user.email} as Agency admin of Agency A"
            " (the address already has an account; the link will say so)",
            {"existing_account": True},
        ),
    ]
    assert (staff.email, staff.first_name, staff.last_name) == ("sam@example.com", "", "")


def test_inviting_again_revokes_only_that_addresss_earlier_invitation(invite, agency_a):
    _token, first = invite(agency=agency_a, role=Role.AGENCY_RECRUITER, email="nia@a.example")
    _token, colleague = invite(agency=agency_a, role=Role.AGENCY_RECRUITER, email="sam@a.example")
    _token, again = invite(agency=agency_a, role=Role.AGENCY_ADMIN, email="NIA@a.example")
    pending = Invitation.objects.pending().order_by("id")
    assert list(pending) == [colleague, again]
    first.refresh_from_db()
    assert first.status == "revoked"


def test_an_invitation_keeps_the_names_and_its_audit_entry_names_who_sent_what(invite, owner):
    _token, invitation = invite()
    assert (invitation.first_name, invitation.last_name) == ("Nia", "Brooks")
    event = AuditEvent.objects.get(action="invitation.sent")
    assert (event.actor, event.object_type, event.object_id) == (
        owner,
        "agencies.Invitation",
        str(invitation.public_id),
    )


def test_the_email_says_who_invites_to_which_portal_as_what(
    owner, agency_a, settings, django_capture_on_commit_callbacks
):
    settings.EMPLOYER_NAME = "Northwind Talent"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=owner,
            email="nia@a.example",
            role=Role.AGENCY_ADMIN,
            agency=agency_a,
            first_name="Nia",
        )
        services.invitation_create(
            actor=owner, email="sam@example.com", role=Role.RECRUITER, agency=None
        )
    agency_mail, staff_mail = mail.outbox
    assert agency_mail.subject == "You're invited to Northwind Talent's agency portal"
    assert agency_mail.body.startswith(
        f"Hello Nia,\n\n{owner} invited you to the Agency A agency portal of Northwind Talent"
        " as agency admin.\n"
    )
    assert staff_mail.subject == "You're invited to Northwind Talent's hiring team"
    assert staff_mail.body.startswith(
        f"Hello,\n\n{owner} invited you to Northwind Talent's hiring team as recruiter.\n"
    )


# Accepting ------------------------------------------------------------------------------------


def test_accepting_an_agency_invitation_creates_the_member_with_the_agencys_country(
    invite, agency_b
):
    token, invitation = invite(agency=agency_b, role=Role.AGENCY_ADMIN, email="nia@b.example")
    user = accept(token)
    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name, user.role, user.country) == (
        "nia@b.example",
        "Nia",
        "Brooks",
        Role.AGENCY_ADMIN,
        "US",
    )
    assert user.check_password(PASSWORD) and user.membership.agency == agency_b
    assert EmailAddress.objects.filter(
        user=user, email="nia@b.example", verified=True, primary=True
    ).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_user == user
    assert invitation.accepted_at is not None
    [event] = AuditEvent.objects.filter(action="invitation.accepted")
    assert (event.actor, event.agency_id) == (user, agency_b.pk)
    assert (event.object_type, event.object_id) == (
        "agencies.Invitation",
        str(invitation.public_id),
    )
    assert "nia@b.example accepted" in event.summary


def test_accepting_an_employer_invitation_creates_an_employer_user_without_agency(invite):
    token, _invitation = invite(role=Role.HIRING_MANAGER)
    user = accept(token)
    user.refresh_from_db()
    assert (user.role, user.country) == (Role.HIRING_MANAGER, "")
    assert not Membership.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="invitation.accepted").agency_id is None


def test_a_link_accepted_once_refuses_a_second_account(invite):
    token, _invitation = invite()
    first = accept(token)
    with pytest.raises(services.InvitationInvalid, match="already been used"):
        accept(token, password="another-long-passphrase")
    assert list(User.objects.filter(email="nia@example.com")) == [first]
    assert first.check_password(PASSWORD)


def test_an_address_that_got_an_account_meanwhile_is_refused_and_the_link_stays_unused(invite):
    token, invitation = invite()
    UserFactory(email="nia@example.com")
    with pytest.raises(services.InvitationInvalid) as refused:
        accept(token)
    assert (
        str(refused.value) == "An account with this email address already exists. Sign in instead."
    )
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.accepted_user is None
    assert not AuditEvent.objects.filter(action="invitation.accepted").exists()


@pytest.mark.parametrize("weak", ["12345678", "nia.brooks.example"], ids=["short", "like-the-name"])
def test_a_weak_password_creates_nothing_and_the_same_link_then_works(invite, weak):
    token, invitation = invite()
    with pytest.raises(ValidationError):
        accept(token, password=weak)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and not User.objects.filter(email=invitation.email)
    assert accept(token).check_password(PASSWORD)


# Revoking -------------------------------------------------------------------------------------


def test_revoking_a_pending_invitation_withdraws_it_and_is_audited(invite, agency_a, owner):
    token, invitation = invite(agency=agency_a, role=Role.AGENCY_RECRUITER)
    services.invitation_revoke(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    with pytest.raises(services.InvitationInvalid, match="withdrawn"):
        accept(token)
    [event] = AuditEvent.objects.filter(action="invitation.revoked")
    assert (event.actor, event.agency_id) == (owner, agency_a.pk)
    assert (event.object_type, event.object_id) == (
        "agencies.Invitation",
        str(invitation.public_id),
    )
    assert "nia@example.com" in event.summary


def test_revoking_keeps_what_changed_on_the_invitation_meanwhile(invite, owner):
    _token, invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(first_name="Nadia")  # another request
    services.invitation_revoke(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.first_name) == ("revoked", "Nadia")


@pytest.mark.parametrize("state", ["accepted", "revoked", "expired"])
def test_revoking_an_invitation_that_is_no_longer_pending_changes_nothing(invite, owner, state):
    token, invitation = invite()
    if state == "accepted":
        accept(token)
    elif state == "revoked":
        services.invitation_revoke(actor=owner, invitation=invitation)
    else:
        _set(invitation, expires_at=timezone.now() - timedelta(minutes=1))
    invitation.refresh_from_db()
    before = (invitation.status, invitation.revoked_at)
    events = AuditEvent.objects.filter(action="invitation.revoked").count()
    services.invitation_revoke(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.revoked_at) == before and before[0] == state
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == events


@pytest.mark.django_db(transaction=True)
def test_of_two_accepts_at_once_the_second_waits_and_finds_the_link_used(owner):
    """A double click: B reads the still pending invitation while A has accepted it but not
    committed; B's lock waits for A's commit, then B must see the link used."""
    token = Invitation.new_token()
    Invitation.objects.create(
        email="nia@example.com", role=Role.RECRUITER, invited_by=owner,
        token_hash=hash_token(token), expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    a_accepted, outcome = threading.Event(), {}

    def accept_in(name, then=None):
        try:
            with transaction.atomic():
                outcome[name] = accept(token).email
                if then:
                    then()
        except services.InvitationInvalid as refused:
            outcome[name] = str(refused)
        finally:
            connection.close()

    def a_commits_once_b_waits():
        a_accepted.set()
        time.sleep(0.5)  # B has found the invitation pending and blocks on A's row lock

    a = threading.Thread(target=accept_in, args=("a", a_commits_once_b_waits))
    a.start()
    a_accepted.wait(timeout=10)
    b = threading.Thread(target=accept_in, args=("b",))
    b.start()
    a.join(timeout=30)
    b.join(timeout=30)

    assert outcome == {"a": "nia@example.com", "b": USED}
    assert User.objects.filter(email="nia@example.com").count() == 1
