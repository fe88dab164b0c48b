"""The duplicate and identity rule, in one place: whether a person presented for a job is New,
Previously submitted, Duplicate or Blocked (submission_create), the identity claims that decide it
and their moves when a recruiter edits contact info, the identity conflicts recruiters resolve, the
rules themselves (duplicate_rules_update) and the rescan that emails possible duplicates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import JobAssignment
from candidates import selectors, tasks
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


class IdentityTaken(Exception):
    def __init__(self, candidate: Candidate):
        self.candidate = candidate


class IdentityContradiction(ValidationError):
    """The submission gives a known person's email or phone under a name that is not theirs.

    `confirmation` ("phone:+44…") is what the agency user confirms to submit it all the same; a
    confirmation holds for that value only, so a corrected value is checked afresh."""

    def __init__(self, field: str, message: str, confirmation: str):
        super().__init__({field: message})
        self.confirmation = confirmation


Kind = IdentityClaim.Kind
FIELD_OF = {Kind.EMAIL: "email", Kind.PHONE: "phone"}


def _what(kind: str) -> str:
    return "email address" if kind == Kind.EMAIL else "phone number"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# Submissions -------------------------------------------------------------------------------


def submission_create(
    *, actor: User, assignment: JobAssignment, first_name: str, last_name: str, email: str = "",
    phone: str = "", note: str = "", resume=None, text_consent: bool = False,
    confirmed_identity: str = "",
) -> Submission:  # fmt: skip
    """Present a person for a job and decide at once: New, Previously submitted, Duplicate or Blocked.

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
            agency=assignment.agency, submitted_by=actor, job=assignment.job, first_name=first_name.strip(),
            last_name=last_name.strip(), email=email, phone=phone, note=note,
        )  # fmt: skip
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
                "job": f"Your agency has reached the cap of {assignment.max_submissions} submissions for this job."
            }
        )


def _identities(submission: Submission) -> list[tuple[str, str]]:
    """Sorted, so that concurrent transactions take the claims in the same order (no deadlock)."""
    pairs = [
        (IdentityClaim.Kind.EMAIL, submission.email),
        (IdentityClaim.Kind.PHONE, submission.phone),
    ]
    return sorted((kind, value) for kind, value in pairs if value)


def _create_candidate_with_claims(submission: Submission, rules: DuplicateRules) -> Candidate:
    now = timezone.now()
    candidate = Candidate.objects.create(
        first_name=submission.first_name, last_name=submission.last_name, email=submission.email,
        phone=submission.phone, agency=submission.agency, submitted_by=submission.submitted_by, created_at=now,
        ownership_ends_at=now + rules.window,
    )  # fmt: skip
    for kind, value in _identities(submission):
        _claim(kind, value, _claim_job(submission, rules), candidate, now, rules)
    return candidate


def _claim_job(submission: Submission, rules: DuplicateRules) -> int | None:
    """The job a claim is for: its own under the "same job only" scope, else every job (None)."""
    return submission.job_id if rules.scope == DuplicateRules.Scope.SAME_JOB else None


def _claim(kind, value, job_id, candidate, now, rules, *, since=None) -> None:
    """Take the claim on an email or phone for `candidate`, or raise IdentityTaken. `since`: when
    the person's window began, if earlier than now (a recruiter's edit keeps the window)."""
    if not _insert_claim(kind, value, job_id, candidate, since or now):
        _take_over_expired_claim(kind, value, job_id, candidate, now, rules)


def _take_identity(kind, value, job_id, candidate, rules, *, since=None) -> None:
    """A recruiter gives a candidate an email or phone: refused (IdentityTaken) while another live
    candidate shows it on their profile or holds its claim, even an expired one never taken over
    silently from a profile that still shows it."""
    field = FIELD_OF[kind]
    other = (
        Candidate.objects.filter(merged_into__isnull=True, **{field: value})
        .exclude(pk=candidate.pk)
        .first()
    )
    if other is not None:
        raise IdentityTaken(other)
    _claim(kind, value, job_id, candidate, timezone.now(), rules, since=since)


def _insert_claim(kind, value, job_id, candidate, now) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True when this transaction now holds the claim."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IdentityClaim._meta.db_table} (kind, value, job_id, candidate_id, claimed_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
            [kind, value, job_id, candidate.pk, now],
        )
        return cursor.fetchone() is not None


def _take_over_expired_claim(kind, value, job_id, candidate, now, rules) -> None:
    """A claim inside the window keeps the person taken: reading it needs no lock, as only an
    expired claim changes hands. Taking one over names the claimed_at that was read, so of two
    submissions racing for it the second finds the row changed (after waiting for the first's
    commit) and the person taken."""
    claim = IdentityClaim.objects.get(kind=kind, value=value, job_id=job_id)
    if claim.claimed_at > now - rules.window and not _released(claim.candidate_id, rules):
        raise IdentityTaken(Candidate.objects.get(pk=claim.candidate_id))
    unchanged = IdentityClaim.objects.filter(pk=claim.pk, claimed_at=claim.claimed_at)
    if not unchanged.update(candidate=candidate, claimed_at=now):
        claim.refresh_from_db()
        raise IdentityTaken(Candidate.objects.get(pk=claim.candidate_id))


def _released(candidate_id: int, rules: DuplicateRules) -> bool:
    """With release_on_rejection, a person rejected on every job may be presented again."""
    if not rules.release_on_rejection:
        return False
    stages = set(
        Application.objects.filter(candidate_id=candidate_id).values_list("stage", flat=True)
    )
    return stages == {Stage.REJECTED}


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
        f"Already known to {settings.EMPLOYER_NAME}: another agency presented this person earlier, or they applied directly. "
        "Not counted as new; the earlier submission keeps ownership.",
    )


# Contradicting identifiers ------------------------------------------------------------------


def _contested_identity(submission: Submission, known: Candidate) -> tuple[str, str] | None:
    """The email or phone of `known` that the submission gives under a name that is not theirs
    (candidates.names), unless every identifier it gives is theirs: then it is another spelling
    of the same person. A new phone with the same name and email is a person who changed number."""
    if names_agree(submission.first_name, submission.last_name, known.first_name, known.last_name):
        return None
    given = _identities(submission)
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
        f"This {_what(kind)} belongs to {whose}. Check it, or confirm that it is right, and "
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
        f"known with this {_what(kind)}."
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
        summary=f"{submission.full_name} for {submission.job} was submitted with the {_what(kind)} of {known}, confirmed",
        data={
            "submission": str(submission.public_id),
            "candidate": str(known.public_id),
            kind: value,
        },
    )
    core.notify(
        users=job_recruiters(submission.job),
        text=f"Identity question: {submission.full_name} was submitted with the {_what(kind)} of {known}",
        url=reverse("candidates:identity-conflict", kwargs={"public_id": conflict.public_id}),
    )


def identity_conflict_resolve(
    *,
    actor: User,
    conflict: IdentityConflict,
    same_person: bool,
    give_identifier: bool = False,
    note: str = "",
) -> IdentityConflict:
    """A recruiter's decision. Same person: the held submission is filed under the known person as
    its outcome says. Different people: the submitted person gets their own record, owned by the
    agency that presented them, and the submission becomes New; the contested email or phone stays
    with the known person unless `give_identifier` and they no longer hold it."""
    with transaction.atomic():
        conflict = (
            IdentityConflict.objects.select_for_update(of=("self",))
            .select_related(
                "submission__job", "submission__agency", "submission__submitted_by", "candidate"
            )
            .get(pk=conflict.pk)
        )
        if not conflict.is_open:
            raise ValidationError("This case was already resolved.")
        submission = conflict.submission
        if same_person:
            _file_under_known_person(conflict, submission)
        else:
            _give_own_record(conflict, submission, give_identifier)
        conflict.status = (
            IdentityConflict.Status.SAME_PERSON
            if same_person
            else IdentityConflict.Status.DIFFERENT_PEOPLE
        )
        conflict.note, conflict.resolved_by, conflict.resolved_at = (
            note.strip(),
            actor,
            timezone.now(),
        )
        held_file, conflict.resume = conflict.resume.name, None
        conflict.full_clean()
        conflict.save(update_fields=["status", "note", "resolved_by", "resolved_at", "resume"])
        if held_file:
            transaction.on_commit(lambda: default_storage.delete(held_file))
        core.audit_record(
            actor=actor,
            action=f"identity_conflict.{conflict.status}",
            obj=conflict,
            agency_id=conflict.agency_id,
            summary=f"{submission.full_name} / {conflict.known_name}: {conflict.get_status_display().lower()}",
            data={
                "note": conflict.note,
                "candidate": str(submission.candidate.public_id),
                "outcome": submission.outcome,
            },
        )
        core.notify(
            users=[submission.submitted_by],
            text=f"{settings.EMPLOYER_NAME} reviewed your submission of {submission.full_name}: {submission.get_outcome_display()}",
            url=reverse("portal-candidates:detail", kwargs={"public_id": submission.public_id}),
        )
        return conflict


def _held_upload(conflict: IdentityConflict):
    if not conflict.resume:
        return None
    upload = default_storage.open(conflict.resume.name)
    upload.name = conflict.resume_name
    return upload


def _file_under_known_person(conflict: IdentityConflict, submission: Submission) -> None:
    known = conflict.candidate
    submission.reason = conflict.reason
    if submission.outcome == Outcome.PREVIOUSLY_SUBMITTED:
        submission.application = _application_for(known, submission)
        if upload := _held_upload(conflict):
            resume_attach(actor=submission.submitted_by, candidate=known, upload=upload)
        if conflict.text_consent and not known.text_consent_at:
            known.text_consent_at = timezone.now()
            known.save(update_fields=["text_consent_at"])
    submission.save(update_fields=["reason", "application"])


def _give_own_record(conflict: IdentityConflict, submission: Submission, give_identifier: bool):
    rules = DuplicateRules.current()
    now = timezone.now()
    person = Candidate.objects.create(
        first_name=submission.first_name,
        last_name=submission.last_name,
        agency=submission.agency,
        submitted_by=submission.submitted_by,
        created_at=now,
        ownership_ends_at=now + rules.window,
        text_consent_at=now if conflict.text_consent else None,
    )
    for kind, value in _identities(submission):
        if _give_identity(conflict, submission, person, (kind, value), give_identifier, rules):
            setattr(person, FIELD_OF[kind], value)
    person.save(update_fields=["email", "phone"])
    submission.outcome, submission.candidate = Outcome.NEW, person
    submission.reason = (
        f"Reviewed by {settings.EMPLOYER_NAME}: not the person already known with this "
        f"{_what(conflict.kind)}. Added as a Lead and counted in your submissions."
    )
    submission.application = _application_for(person, submission)
    if upload := _held_upload(conflict):
        resume_attach(actor=submission.submitted_by, candidate=person, upload=upload)
    fields = ["outcome", "reason", "candidate", "application"]
    if person.email:
        submission.confirmation = Submission.Confirmation.PENDING
        submission.confirmation_expires_at = now + settings.SUBMISSION_CONFIRMATION_TTL
        fields += ["confirmation", "confirmation_expires_at"]
        ask_candidate_to_confirm(submission)
    submission.save(update_fields=fields)


def _give_identity(conflict, submission, person, identity, give_identifier, rules) -> bool:
    """Whether the separated person gets this email or phone. The contested one only on request
    and once nobody else holds it; another one given to someone meanwhile is left out."""
    contested = identity == (conflict.kind, conflict.value)
    if contested and not give_identifier:
        return False
    try:
        _take_identity(*identity, _claim_job(submission, rules), person, rules)
    except IdentityTaken as taken:
        if not contested:
            return False
        raise ValidationError(
            {
                "give_identifier": f"The {_what(identity[0])} still belongs to {taken.candidate}. "
                "Remove it from their profile (Edit contact info) first, or leave it with them."
            }
        ) from None
    return True


def _record(
    submission: Submission, candidate: Candidate, resume, actor: User, *, held: bool = False
) -> None:
    """Save the submission with what its outcome brings along, the audit entry and the follow-up work."""
    if submission.outcome in (Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED) and not held:
        submission.application = _application_for(candidate, submission)
        if resume is not None:
            resume_attach(actor=actor, candidate=candidate, upload=resume)
    submission.candidate = candidate
    if submission.outcome == Outcome.NEW and submission.email:
        submission.confirmation = Submission.Confirmation.PENDING
        submission.confirmation_expires_at = timezone.now() + settings.SUBMISSION_CONFIRMATION_TTL
    submission.save()
    core.audit_record(
        actor=actor, action=f"submission.{submission.outcome}", obj=submission, agency_id=submission.agency_id,
        summary=f"{submission.full_name} for {submission.job}: {submission.get_outcome_display()}",
        data={"reason": submission.reason, "candidate": str(candidate.public_id)},
    )  # fmt: skip
    tasks.submission_scan_duplicates.delay_on_commit(submission_id=submission.pk)
    if submission.confirmation == Submission.Confirmation.PENDING:
        ask_candidate_to_confirm(submission)


def _application_for(candidate: Candidate, submission: Submission) -> Application:
    application, _created = Application.objects.get_or_create(
        candidate=candidate, job=submission.job, defaults={"agency": submission.agency}
    )
    return application


# A recruiter's contact edit ---------------------------------------------------------------


def candidate_update_contact(
    *, actor: User, candidate: Candidate, email: str, phone: str, text_consent: bool = False
) -> Candidate:
    """A recruiter's "Edit contact info". The old value's claim is released and the new one taken
    through the same unique claim that decides submissions, so a value another live candidate holds
    is refused, never taken from them. The consent given at submission was for the old number: a
    new phone starts without it unless the candidate agreed to this number (and another person's
    YES at that number is never theirs: messaging.models.TextContact.seen_by)."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        new = {"email": normalize_email(email), "phone": phone}
        if not (new["email"] or new["phone"]):
            raise ValidationError(
                {
                    "email": "Keep an email address or a phone number, so that duplicates can be caught."
                }
            )
        old = {"email": candidate.email, "phone": candidate.phone}
        changed = [field for field in new if new[field] != old[field]]
        if not changed:
            return candidate
        rules = DuplicateRules.current()
        for field in changed:
            _move_claims(candidate, field, new[field], rules)
            setattr(candidate, field, new[field])
        update = list(changed)
        if "phone" in changed:
            candidate.text_consent_at = timezone.now() if text_consent and new["phone"] else None
            update.append("text_consent_at")
        candidate.full_clean()
        candidate.save(update_fields=update)
        core.audit_record(
            actor=actor,
            action="candidate.contact_changed",
            obj=candidate,
            agency_id=candidate.agency_id,
            summary=f"{candidate}: "
            + "; ".join(f"{field} {old[field] or '—'} → {new[field] or '—'}" for field in changed),
            data={field: {"from": old[field], "to": new[field]} for field in changed}
            | ({"text_consent": bool(candidate.text_consent_at)} if "phone" in changed else {}),
        )
        return candidate


def _fresh_windows(candidate: Candidate, rules: DuplicateRules) -> dict:
    """Claims for a candidate who holds none: from their submission, per job if the scope says so."""
    jobs = [None]
    if rules.scope == DuplicateRules.Scope.SAME_JOB:
        jobs = list(candidate.applications.values_list("job_id", flat=True).distinct()) or jobs
    return dict.fromkeys(jobs, candidate.created_at)


def _move_claims(candidate: Candidate, field: str, value: str, rules: DuplicateRules) -> None:
    """Release the candidate's claims on the old value and take the same claims (same jobs, same
    window start) on the new one, or refuse at the field."""
    kind = Kind.EMAIL if field == "email" else Kind.PHONE
    claims = list(IdentityClaim.objects.filter(candidate=candidate))
    windows = (
        {claim.job_id: claim.claimed_at for claim in claims if claim.kind == kind}
        or {claim.job_id: claim.claimed_at for claim in claims}
        or _fresh_windows(candidate, rules)
    )
    IdentityClaim.objects.filter(candidate=candidate, kind=kind).delete()
    if not value:
        return
    try:
        for job_id, since in windows.items():
            _take_identity(kind, value, job_id, candidate, rules, since=since)
    except IdentityTaken as taken:
        raise ValidationError(
            {
                field: f"This {_what(kind)} already belongs to {taken.candidate} (another "
                f"candidate). Check it; to move it, remove it from {taken.candidate}'s profile first."
            }
        ) from None


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
