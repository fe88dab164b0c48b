"""Whether a person presented for a job is New, Previously submitted, Duplicate or Blocked
(submission_create), the hold of a contradicting identifier for a recruiter to resolve, the rules
themselves (duplicate_rules_update) and the rescan that emails possible duplicates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import JobAssignment
from candidates import selectors, tasks
from candidates.duplicates.claims import (
    FIELD_OF,
    IdentityTaken,
    Kind,
    claim,
    kind_label,
    normalize_email,
)
from candidates.models import (
    IN_PROCESS_STAGES,
    Application,
    Candidate,
    DuplicateRules,
    IdentityClaim,
    IdentityConflict,
    Stage,
    Submission,
)
from candidates.names import names_agree
from candidates.services import ask_candidate_to_confirm, job_recruiters, resume_attach
from recruitment import services as core
from recruitment.models import Job, User

Outcome = Submission.Outcome


class IdentityContradiction(ValidationError):
    """The submission gives a known person's email or phone under a name that is not theirs.

    `confirmation` ("phone:+44…") is what the agency user confirms to submit it all the same; a
    confirmation holds for that value only, so a corrected value is checked afresh."""

    def __init__(self, field: str, message: str, confirmation: str):
        super().__init__({field: message})
        self.confirmation = confirmation


# Submissions -------------------------------------------------------------------------------


def submission_create(
    *,
    actor: User,
    assignment: JobAssignment,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    note: str = "",
    resume=None,
    text_consent: bool = False,
    confirmed_identity: str = "",
) -> Submission:
    """Present a person for a job and decide at once: New, Previously submitted, Duplicate or
    Blocked.

    Runs in one transaction. The assignment row lock serialises one agency's submissions for a job
    (so the submission cap holds); the unique IdentityClaim decides races between agencies.
    A known person's email or phone under another name raises IdentityContradiction, unless the
    user confirmed that value: then the submission is held as an IdentityConflict for recruiters.
    """
    email = normalize_email(email)
    if not (email or phone):
        raise ValidationError({"email": "Give an email address or a phone number."})
    rules = DuplicateRules.current()
    with transaction.atomic():
        assignment = (
            JobAssignment.objects.select_for_update()
            .select_related("job", "agency")
            .get(pk=assignment.pk)
        )
        _check_assignment_open(assignment)
        _check_cap(assignment)
        submission = Submission(
            agency=assignment.agency,
            submitted_by=actor,
            job=assignment.job,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            phone=phone,
            note=note,
        )
        try:
            with transaction.atomic():
                candidate = _create_candidate_with_claims(submission, rules)
        except IdentityTaken as taken:
            candidate = taken.candidate
            submission.outcome, submission.reason = _judge_known_person(
                candidate, submission, rules
            )
            contested = _contested_identity(submission, candidate)
        else:
            contested = None
            submission.outcome = Outcome.NEW
            submission.reason = "New candidate: added as a Lead and counted in your submissions."
        if contested:
            _check_confirmed(actor, candidate, contested, confirmed_identity)
            _hold(submission, candidate, contested, resume, text_consent, actor)
            return submission
        if (
            text_consent
            and submission.outcome in (Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED)
            and not candidate.text_consent_at
        ):
            candidate.text_consent_at = timezone.now()
            candidate.save(update_fields=["text_consent_at"])
        _record(submission, candidate, resume, actor)
    return submission


def _check_assignment_open(assignment: JobAssignment) -> None:
    if not assignment.is_active or assignment.job.status != Job.Status.OPEN:
        raise ValidationError({"job": "This job is no longer open to your agency."})


def _check_cap(assignment: JobAssignment) -> None:
    if assignment.max_submissions is None:
        return
    if selectors.places_left(assignment) == 0:
        raise ValidationError(
            {
                "job": f"Your agency has reached the cap of {assignment.max_submissions} "
                "submissions for this job."
            }
        )


def identities(submission: Submission) -> list[tuple[str, str]]:
    """Sorted, so that concurrent transactions take the claims in the same order (no deadlock)."""
    pairs = [
        (IdentityClaim.Kind.EMAIL, submission.email),
        (IdentityClaim.Kind.PHONE, submission.phone),
    ]
    return sorted((kind, value) for kind, value in pairs if value)


def _create_candidate_with_claims(submission: Submission, rules: DuplicateRules) -> Candidate:
    now = timezone.now()
    candidate = Candidate.objects.create(
        first_name=submission.first_name,
        last_name=submission.last_name,
        email=submission.email,
        phone=submission.phone,
        agency=submission.agency,
        submitted_by=submission.submitted_by,
        created_at=now,
        ownership_ends_at=now + rules.window,
    )
    for kind, value in identities(submission):
        claim(kind, value, job_to_claim(submission, rules), candidate, now, rules)
    return candidate


def job_to_claim(submission: Submission, rules: DuplicateRules) -> int | None:
    """The job a claim is for: its own under the "same job only" scope, else every job (None)."""
    return submission.job_id if rules.scope == DuplicateRules.Scope.SAME_JOB else None


def _judge_known_person(candidate: Candidate, submission: Submission, rules: DuplicateRules):
    """The outcome and the reason shown to the agency. A refusal never says why (a hire or a
    process may be another agency's), only whether the person is the agency's own."""
    stages = set(candidate.applications.values_list("stage", flat=True))
    own = candidate.agency_id == submission.agency_id
    if (rules.block_when_hired and Stage.HIRED in stages) or (
        rules.block_when_in_process and stages & set(IN_PROCESS_STAGES)
    ):
        return (
            Outcome.BLOCKED,
            "Not created: the duplicate rules refuse this person."
            + (f" Your agency submitted them on {candidate.created_at:%b %-d, %Y}." if own else ""),
        )
    if own:
        return (
            Outcome.PREVIOUSLY_SUBMITTED,
            f"Your agency already submitted this person on {candidate.created_at:%b %-d, %Y}. "
            "Not counted as new; you still see them.",
        )
    return (
        Outcome.DUPLICATE,
        f"Already known to {settings.EMPLOYER_NAME}: another agency presented this person "
        "earlier, or they applied directly. "
        "Not counted as new; the earlier submission keeps ownership.",
    )


# Contradicting identifiers ------------------------------------------------------------------


def _contested_identity(submission: Submission, known: Candidate) -> tuple[str, str] | None:
    """The email or phone of `known` that the submission gives under a name that is not theirs
    (candidates.names), unless every identifier it gives is theirs: then it is another spelling
    of the same person. A new phone with the same name and email is a person who changed number."""
    if names_agree(submission.first_name, submission.last_name, known.first_name, known.last_name):
        return None
    given = identities(submission)
    theirs = set(IdentityClaim.objects.filter(candidate=known).values_list("kind", "value"))
    theirs |= {(Kind.EMAIL, known.email), (Kind.PHONE, known.phone)}
    shared = [pair for pair in given if pair in theirs]
    if not shared or len(shared) == len(given) > 1:
        return None
    return shared[0]


def _check_confirmed(actor: User, known: Candidate, contested, confirmed_identity: str) -> None:
    """Ask the agency user to check the value or confirm it. The known person is named only to
    someone who may see them (their agency's own candidate), else never: not even their agency."""
    kind, value = contested
    confirmation = f"{kind}:{value}"
    if confirmed_identity == confirmation:
        return
    if Candidate.objects.visible_to(actor).filter(pk=known.pk).exists():
        whose = f"{known.full_name}, whom your agency submitted on {known.created_at:%b %-d, %Y}"
    else:
        whose = f"someone already known to {settings.EMPLOYER_NAME}, under another name"
    raise IdentityContradiction(
        FIELD_OF[kind],
        f"This {kind_label(kind)} belongs to {whose}. Check it, or confirm that it is right, and "
        f"{settings.EMPLOYER_NAME} will check whether this is the same person.",
        confirmation,
    )


def _hold(submission, known, contested, resume, text_consent: bool, actor: User) -> None:
    """Record the outcome, but file nothing under the known person: the resume and the text
    consent wait on the case, and the agency's page shows nothing of that person."""
    kind, value = contested
    reason = submission.reason
    submission.reason = (
        f"{reason} Held: {settings.EMPLOYER_NAME} checks whether this is the person already "
        f"known with this {kind_label(kind)}."
    )[:300]
    _record(submission, known, None, actor, held=True)
    conflict = IdentityConflict(
        submission=submission,
        agency=submission.agency,
        candidate=known,
        kind=kind,
        value=value,
        known_name=known.full_name,
        reason=reason,
        text_consent=text_consent,
    )
    if resume is not None:
        conflict.resume, conflict.resume_name = resume, resume.name[:255]
    conflict.full_clean()
    conflict.save()
    core.audit_record(
        actor=actor,
        action="identity_conflict.opened",
        obj=conflict,
        agency_id=submission.agency_id,
        summary=f"{submission.full_name} for {submission.job} was submitted with the "
        f"{kind_label(kind)} of {known}, confirmed",
        data={
            "submission": str(submission.public_id),
            "candidate": str(known.public_id),
            kind: value,
        },
    )
    core.notify(
        users=job_recruiters(submission.job),
        text=f"Identity question: {submission.full_name} was submitted with the "
        f"{kind_label(kind)} of {known}",
        url=reverse("candidates:identity-conflict", kwargs={"public_id": conflict.public_id}),
    )


def _record(
    submission: Submission, candidate: Candidate, resume, actor: User, *, held: bool = False
) -> None:
    """Save the submission with what its outcome brings along, the audit entry and the follow-up
    work."""
    if submission.outcome in (Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED) and not held:
        submission.application = application_for(candidate, submission)
        if resume is not None:
            resume_attach(actor=actor, candidate=candidate, upload=resume)
    submission.candidate = candidate
    if submission.outcome == Outcome.NEW and submission.email:
        submission.confirmation = Submission.Confirmation.PENDING
        submission.confirmation_expires_at = timezone.now() + settings.SUBMISSION_CONFIRMATION_TTL
    submission.save()
    core.audit_record(
        actor=actor,
        action=f"submission.{submission.outcome}",
        obj=submission,
        agency_id=submission.agency_id,
        summary=f"{submission.full_name} for {submission.job}: {submission.get_outcome_display()}",
        data={"reason": submission.reason, "candidate": str(candidate.public_id)},
    )
    tasks.submission_scan_duplicates.delay_on_commit(submission_id=submission.pk)
    if submission.confirmation == Submission.Confirmation.PENDING:
        ask_candidate_to_confirm(submission)


def application_for(candidate: Candidate, submission: Submission) -> Application:
    application, _created = Application.objects.get_or_create(
        candidate=candidate, job=submission.job, defaults={"agency": submission.agency}
    )
    return application


# The rules, and the rescan after a submission ---------------------------------------------


def submission_scan_duplicates(*, submission_id: int) -> None:
    """One email per submission to the job's recruiters when the person may already be known."""
    submission = Submission.objects.select_related("job", "agency", "candidate").get(
        pk=submission_id
    )
    matches = selectors.potential_duplicates(submission)
    if submission.outcome in (Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED):  # the agency's own
        matches = matches.exclude(pk=submission.candidate_id)
    matches = list(matches.select_related("agency")[:20])
    if not matches:
        return
    url = (
        settings.SITE_URL + reverse("candidates:people") + f"?duplicates_of={submission.public_id}"
    )
    core.email_send_on_commit(
        to=[user.email for user in job_recruiters(submission.job)],
        subject=f"Possible duplicate: {submission.full_name} ({submission.job.title})",
        template="emails/potential_duplicates.txt",
        context={"submission": submission, "matches": matches, "url": url},
    )


@transaction.atomic
def duplicate_rules_update(*, actor: User, rules: DuplicateRules, changes: dict) -> DuplicateRules:
    for name, value in changes.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    core.audit_record(
        actor=actor,
        action="duplicate_rules.changed",
        obj=rules,
        summary=f"Changed the duplicate rules: {rules}",
        data={name: str(value) for name, value in changes.items()},
    )
    return rules
