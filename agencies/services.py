from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Invitation, JobAssignment, Membership, agency_id_of, hash_token
from recruitment import services as core
from recruitment.models import AGENCY_ROLES, Job, Role, User


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired. The message is safe to show."""


# Shown to the holder of an invitation link, who owns the mailbox it was sent to.
ACCOUNT_EXISTS = "An account with this email address already exists. Sign in instead."


@transaction.atomic
def agency_create(*, actor: User, name: str, country: str, website: str = "") -> Agency:
    agency = Agency(name=name.strip(), country=country, website=website, created_by=actor)
    agency.full_clean()
    agency.save()
    core.audit_record(
        actor=actor,
        action="agency.created",
        summary=f"Created agency {agency.name}",
        obj=agency,
        agency_id=agency.pk,
    )
    return agency


def invitation_create(
    *,
    actor: User,
    email: str,
    role: str,
    agency: Agency | None,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite a person by email; an earlier pending invitation of the same address to the same
    agency (or to the employer's staff) is revoked.

    An address that already has an account is refused only when the inviter can see that
    account (Owners see everyone, agency admins their agency). Anyone else gets the answer they
    get for any new address, so that an agency admin cannot learn who has an account elsewhere;
    the email still goes out, and its link tells the address's owner to sign in instead."""
    with transaction.atomic():
        email = email.strip().lower()
        existing = User.objects.filter(email__iexact=email)
        if existing.filter(pk__in=User.objects.visible_to(actor).values("pk")).exists():
            raise ValidationError({"email": "A user with this email address already exists."})
        has_account = existing.exists()
        Invitation.objects.pending().filter(email__iexact=email, agency=agency).update(
            revoked_at=timezone.now()
        )
        token = Invitation.new_token()
        now = timezone.now()
        invitation = Invitation(
            email=email,
            role=role,
            agency=agency,
            first_name=first_name,
            last_name=last_name,
            token_hash=hash_token(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        core.audit_record(
            actor=actor,
            action="invitation.sent",
            obj=invitation,
            agency_id=agency.pk if agency else None,
            summary=f"Invited {email} as {invitation.get_role_display()}"
            + (f" of {agency}" if agency else "")
            + (
                " (the address already has an account; the link will say so)" if has_account else ""
            ),
            data={"existing_account": True} if has_account else None,
        )
        portal = "agency portal" if agency else "hiring team"
        core.email_send_on_commit(
            to=[email],
            subject=f"You're invited to {settings.EMPLOYER_NAME}'s {portal}",
            template="emails/invitation.txt",
            context={
                "invitation": invitation,
                "inviter": actor,
                "employer": settings.EMPLOYER_NAME,
                "url": settings.SITE_URL
                + reverse("agencies:invitation-accept", kwargs={"token": token}),
            },
        )
        return invitation


def invitation_for_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("agency").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise InvitationInvalid(
            "This invitation link is not valid. Check that you copied the whole link."
        )
    if invitation.status == "accepted":
        raise InvitationInvalid(
            "This invitation has already been used. Sign in with your email and password."
        )
    if invitation.status == "revoked":
        raise InvitationInvalid(
            "This invitation was withdrawn. Ask the person who invited you for a new one."
        )
    if invitation.status == "expired":
        raise InvitationInvalid(
            "This invitation has expired. Ask the person who invited you to send a new one."
        )
    if invitation.agency and not invitation.agency.is_active:
        raise InvitationInvalid("This agency's access has been disabled.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalid(ACCOUNT_EXISTS)
    return invitation


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the user; the row lock and the accepted_at check make the link single-use."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationInvalid(
                "This invitation has already been used. Sign in with your email and password."
            )
        user = User(
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            role=invitation.role,
            country=invitation.agency.country if invitation.agency else "",
        )
        password_validation.validate_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise InvitationInvalid(ACCOUNT_EXISTS) from exc
        if invitation.agency:
            Membership.objects.create(user=user, agency=invitation.agency)
        _mark_email_verified(user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        core.audit_record(
            actor=user,
            action="invitation.accepted",
            obj=invitation,
            agency_id=invitation.agency_id,
            summary=f"{user.email} accepted their invitation",
        )
        return user


def _mark_email_verified(user: User) -> None:
    """The invitation link proved the address, so allauth may send login codes to it."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    with transaction.atomic():
        if invitation.status != "pending":
            return
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        core.audit_record(
            actor=actor,
            action="invitation.revoked",
            obj=invitation,
            agency_id=invitation.agency_id,
            summary=f"Revoked the invitation of {invitation.email}",
        )


def agency_recipients(agency: Agency):
    return User.objects.filter(membership__agency=agency, is_active=True)


@transaction.atomic
def job_assign(
    *,
    actor: User,
    job: Job,
    agency: Agency,
    instructions: str = "",
    fee_percent=None,
    guarantee_days=None,
    max_submissions=None,
) -> JobAssignment:
    """Send a job to an agency; its users get an email and an in-app notice."""
    assignment = JobAssignment(
        job=job,
        agency=agency,
        instructions=instructions,
        fee_percent=fee_percent,
        guarantee_days=guarantee_days,
        max_submissions=max_submissions,
        assigned_by=actor,
    )
    assignment.full_clean(
        validate_constraints=False
    )  # the database decides; see IntegrityError below
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError({"agency": f"{agency} is already working on {job.title}."}) from exc
    core.audit_record(
        actor=actor,
        action="job.assigned",
        obj=assignment,
        agency_id=agency.pk,
        summary=f"Sent {job} to {agency}",
    )
    _tell_agency(
        assignment,
        notice=f"New job assigned: {job.title} ({job.ref})",
        subject=f"New job from {settings.EMPLOYER_NAME}: {job.title} ({job.ref})",
        template="emails/job_assigned.txt",
    )
    return assignment


@transaction.atomic
def assignment_withdraw(*, actor: User, assignment: JobAssignment) -> None:
    """Stop an agency working on a job; its users are told by email and in-app notice, with a
    link to the job page, which stays readable to them (without the means to submit)."""
    now = timezone.now()
    updated = JobAssignment.objects.filter(pk=assignment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor
    )
    if not updated:
        return
    assignment.withdrawn_at, assignment.withdrawn_by = now, actor
    job = assignment.job
    core.audit_record(
        actor=actor,
        action="job.withdrawn",
        obj=assignment,
        agency_id=assignment.agency_id,
        summary=f"Withdrew {job} from {assignment.agency}",
    )
    _tell_agency(
        assignment,
        notice=f"Job withdrawn: {job.title} ({job.ref})",
        subject=f"Job withdrawn by {settings.EMPLOYER_NAME}: {job.title} ({job.ref})",
        template="emails/job_withdrawn.txt",
    )


ASSIGNMENT_TERMS = ["instructions", "fee_percent", "guarantee_days", "max_submissions"]
TERM_LABELS = {
    "fee_percent": "fee",
    "guarantee_days": "guarantee",
    "max_submissions": "submission cap",
}


@transaction.atomic
def assignment_update(
    *,
    actor: User,
    assignment: JobAssignment,
    instructions: str,
    fee_percent,
    guarantee_days,
    max_submissions,
) -> JobAssignment:
    """Change an active assignment's instructions and terms; the change is audited with the old
    and new values, and the agency's active users are told what changed.

    A cap below what the agency already submitted is allowed: it stops further submissions
    (the submission service refuses them) without undoing any, which is how a recruiter with
    enough candidates closes the job to more without withdrawing it."""
    if not actor.can_manage_jobs:
        raise PermissionDenied
    # Compare with the stored row: a bound ModelForm has already copied the new values onto it.
    assignment = (
        JobAssignment.objects.select_for_update(of=("self",))
        .select_related("job", "agency")
        .get(pk=assignment.pk)
    )
    if not assignment.is_active:
        raise ValidationError(
            f"{assignment.job.title} was withdrawn from {assignment.agency}: "
            "its terms can no longer be changed."
        )
    old = {name: getattr(assignment, name) for name in ASSIGNMENT_TERMS}
    assignment.instructions, assignment.fee_percent = instructions, fee_percent
    assignment.guarantee_days, assignment.max_submissions = guarantee_days, max_submissions
    assignment.full_clean(validate_constraints=False)  # the terms; the agency and job stay
    changed = [name for name in ASSIGNMENT_TERMS if getattr(assignment, name) != old[name]]
    if not changed:
        return assignment
    assignment.save(update_fields=changed)
    _announce_new_terms(actor, assignment, old, changed)
    return assignment


def _announce_new_terms(actor: User, assignment: JobAssignment, old: dict, changed: list) -> None:
    """Audit the old and new values, and tell the agency what changed."""
    job = assignment.job
    terms = [
        (label, _describe_term(name, old[name]), _describe_term(name, getattr(assignment, name)))
        for name, label in TERM_LABELS.items()
        if name in changed
    ]
    said = [f"{label} {before} → {after}" for label, before, after in terms]
    said += ["new instructions"] if "instructions" in changed else []
    core.audit_record(
        actor=actor,
        action="job.terms_changed",
        obj=assignment,
        agency_id=assignment.agency_id,
        summary=f"Changed the terms of {job} for {assignment.agency}: {'; '.join(said)}",
        data={
            name: {"from": _audit_value(old[name]), "to": _audit_value(getattr(assignment, name))}
            for name in changed
        },
    )
    _tell_agency(
        assignment,
        notice=f"Terms changed for {job.title} ({job.ref}): {'; '.join(said)}",
        subject=f"Terms changed by {settings.EMPLOYER_NAME}: {job.title} ({job.ref})",
        template="emails/job_terms_changed.txt",
        terms=terms,
        instructions_changed="instructions" in changed,
    )


def _describe_term(name: str, value) -> str:
    if value is None:
        return {"guarantee_days": "no guarantee", "max_submissions": "no cap"}.get(name, "not set")
    if name == "fee_percent":
        return f"{value.normalize():f}%"
    return f"{value} days" if name == "guarantee_days" else str(value)


def _audit_value(value) -> str | None:
    if value is None:
        return None
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _tell_agency(assignment: JobAssignment, *, notice: str, subject: str, template: str, **context):
    """An in-app notice and an email (after commit) to the agency's active users, both leading
    to the assignment's page in the portal."""
    url = reverse("portal:assignment-detail", kwargs={"public_id": assignment.public_id})
    recipients = list(agency_recipients(assignment.agency))
    core.notify(users=recipients, text=notice, url=url)
    core.email_send_on_commit(
        to=[user.email for user in recipients],
        subject=subject,
        template=template,
        context={
            "assignment": assignment,
            "job": assignment.job,
            "employer": settings.EMPLOYER_NAME,
            "url": url,
            **context,
        },
    )


# User and agency management ------------------------------------------------------------------


def may_manage(*, actor: User, user: User) -> bool:
    """Owners manage everyone; an agency admin manages the users of their own agency only."""
    if actor.is_owner:
        return True
    return (
        actor.role == Role.AGENCY_ADMIN
        and user.is_agency_user
        and agency_id_of(actor) is not None
        and agency_id_of(actor) == agency_id_of(user)
    )


def grantable_roles(*, actor: User, user: User) -> list[str]:
    """The access levels `actor` may give `user`, in Role order. A user stays on their side (agency
    or employer), and nobody changes their own access level."""
    if actor.pk == user.pk or not may_manage(actor=actor, user=user):
        return []
    if actor.is_owner and not user.is_agency_user:
        return [role for role in Role.values if role not in AGENCY_ROLES]
    return [role for role in Role.values if role in AGENCY_ROLES]


@transaction.atomic
def user_update(*, actor: User, user: User, first_name: str, last_name: str, role: str) -> User:
    """Rename and change the access level; each change is audited on its own."""
    _check_may_manage(actor, user)
    user = User.objects.select_related("membership").select_for_update(of=("self",)).get(pk=user.pk)
    name = (first_name.strip(), last_name.strip())
    if name != (user.first_name, user.last_name):
        _rename(actor, user, *name)
    if role != user.role:
        _change_role(actor, user, role)
    return user


def _rename(actor: User, user: User, first_name: str, last_name: str) -> None:
    before = user.full_name
    user.first_name, user.last_name = first_name, last_name
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["first_name", "last_name"])
    _audit_user(
        actor,
        user,
        "user.renamed",
        f"Renamed {before or user.email} to {user.full_name}",
        {"from": before, "to": user.full_name},
    )


def _change_role(actor: User, user: User, role: str) -> None:
    if role not in grantable_roles(actor=actor, user=user):
        raise ValidationError({"role": "You cannot give this access level."})
    if user.role == Role.OWNER:
        _keep_an_active_owner(user, "demoted")
    before = user.get_role_display()
    user.role = role
    user.save(update_fields=["role"])
    _audit_user(
        actor,
        user,
        "user.role_changed",
        f"Changed {user} from {before} to {user.get_role_display()}",
        {"from": before, "to": user.get_role_display()},
    )


@transaction.atomic
def user_disable(*, actor: User, user: User) -> User:
    """Cut a user off: ActiveAccountMiddleware logs them out at their next request; their data
    stays."""
    _check_may_manage(actor, user)
    if actor.pk == user.pk:
        raise ValidationError("You cannot disable your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    if user.role == Role.OWNER:
        _keep_an_active_owner(user, "disabled")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audit_user(actor, user, "user.disabled", f"Disabled {user} <{user.email}>")
    return user


@transaction.atomic
def user_enable(*, actor: User, user: User) -> User:
    _check_may_manage(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit_user(actor, user, "user.enabled", f"Re-enabled {user} <{user.email}>")
    return user


def _check_may_manage(actor: User, user: User) -> None:
    if not may_manage(actor=actor, user=user):
        raise PermissionDenied


def _keep_an_active_owner(owner: User, change: str) -> None:
    """Lock every active Owner, so that two Owners demoting each other at once cannot both
    succeed."""
    others = User.objects.select_for_update().filter(role=Role.OWNER, is_active=True)
    if not [other for other in others if other.pk != owner.pk]:
        raise ValidationError(
            {
                "role": f"{owner} is the last active Owner and cannot be {change}. "
                "Make someone else an Owner first."
            }
        )


def _audit_user(actor: User, user: User, action: str, summary: str, data=None) -> None:
    core.audit_record(
        actor=actor,
        action=action,
        summary=summary,
        obj=user,
        agency_id=agency_id_of(user),
        data={"email": user.email, **(data or {})},
    )


@transaction.atomic
def agency_disable(*, actor: User, agency: Agency) -> Agency:
    """Every user of the agency is logged out at their next request; its data stays."""
    return _agency_set_active(actor, agency, active=False)


@transaction.atomic
def agency_enable(*, actor: User, agency: Agency) -> Agency:
    return _agency_set_active(actor, agency, active=True)


def _agency_set_active(actor: User, agency: Agency, *, active: bool) -> Agency:
    if not actor.is_owner:
        raise PermissionDenied
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_active == active:
        return agency
    agency.is_active = active
    agency.save(update_fields=["is_active"])
    users = agency.memberships.count()
    core.audit_record(
        actor=actor,
        action="agency.enabled" if active else "agency.disabled",
        obj=agency,
        agency_id=agency.pk,
        data={"users": users},
        summary=f"{'Re-enabled' if active else 'Disabled'} agency {agency} "
        f"({users} user{'s' if users != 1 else ''})",
    )
    return agency
