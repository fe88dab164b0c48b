from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from agencies.models import JobAssignment, agency_id_of
from candidates import sandbox, selectors, tasks
from candidates.models import (
    IN_PROCESS_STAGES,
    Application,
    Candidate,
    CandidateMerge,
    CandidateNote,
    DuplicateRules,
    IdentityClaim,
    Resume,
    Stage,
    Submission,
)
from candidates.parsing import ParseError
from recruitment import services as core
from recruitment.models import Job, Role, User

Outcome = Submission.Outcome
CONFIRMATION_SALT = "candidates.submission-confirmation"


class IdentityTaken(Exception):
    def __init__(self, candidate: Candidate):
        self.candidate = candidate


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
) -> Submission:  # fmt: skip
    """Present a person for a job and decide at once: New, Previously submitted, Duplicate or Blocked.

    Runs in one transaction. The assignment row lock serialises one agency's submissions for a job
    (so the submission cap holds); the unique IdentityClaim decides races between agencies.
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
        else:
            submission.outcome = Outcome.NEW
            submission.reason = "New candidate: added as a Lead and counted in your submissions."
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


def _record(submission: Submission, candidate: Candidate, resume, actor: User) -> None:
    """Save the submission with what its outcome brings along, the audit entry and the follow-up work."""
    if submission.outcome in (Outcome.NEW, Outcome.PREVIOUSLY_SUBMITTED):
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
        _ask_candidate_to_confirm(submission)


def _application_for(candidate: Candidate, submission: Submission) -> Application:
    application, _created = Application.objects.get_or_create(
        candidate=candidate, job=submission.job, defaults={"agency": submission.agency}
    )
    return application


def _ask_candidate_to_confirm(submission: Submission) -> None:
    token = signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(str(submission.public_id))
    core.email_send_on_commit(
        to=[submission.email],
        subject=f"Did you ask {submission.agency} to present you to {settings.EMPLOYER_NAME}?",
        template="emails/submission_confirmation.txt",
        context={
            "submission": submission,
            "employer": settings.EMPLOYER_NAME,
            "url": settings.SITE_URL + reverse("candidates:confirm", kwargs={"token": token}),
            "expires_at": submission.confirmation_expires_at,
        },
    )


class ConfirmationInvalid(Exception):
    """The link is forged, expired or already answered. The message is safe to show."""


def submission_for_confirmation(token: str) -> Submission:
    max_age = settings.SUBMISSION_CONFIRMATION_TTL
    try:
        public_id = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ConfirmationInvalid("This link has expired. No answer was recorded.") from exc
    except signing.BadSignature as exc:
        raise ConfirmationInvalid(
            "This link is not valid. Check that you copied the whole link."
        ) from exc
    submission = (
        Submission.objects.select_related("job", "agency").filter(public_id=public_id).first()
    )
    if submission is None:
        raise ConfirmationInvalid("This link is not valid. Check that you copied the whole link.")
    return submission


@transaction.atomic
def submission_confirm(*, token: str, confirmed: bool) -> Submission:
    """The candidate's one-click answer. The first answer counts; a decline tells the recruiters."""
    submission = submission_for_confirmation(token)
    answer = Submission.Confirmation.CONFIRMED if confirmed else Submission.Confirmation.DECLINED
    updated = Submission.objects.filter(
        pk=submission.pk, confirmation=Submission.Confirmation.PENDING
    ).update(confirmation=answer, confirmation_answered_at=timezone.now())
    submission.refresh_from_db()
    if not updated:
        return submission
    core.audit_record(
        actor=None, action=f"submission.{answer}", obj=submission, agency_id=submission.agency_id,
        summary=f"The candidate {answer} that {submission.agency} may present them for {submission.job}",
    )  # fmt: skip
    if answer == Submission.Confirmation.DECLINED:
        _tell_recruiters_of_decline(submission)
    return submission


def _tell_recruiters_of_decline(submission: Submission) -> None:
    recipients = job_recruiters(submission.job)
    url = reverse(
        "candidates:candidate-detail", kwargs={"public_id": submission.candidate.public_id}
    )
    text = f"{submission.full_name} says they did not authorise {submission.agency} to present them for {submission.job.title}"
    core.notify(users=recipients, text=text, url=url)
    core.email_send_on_commit(
        to=[user.email for user in recipients], subject=f"Candidate declined: {submission.full_name}",
        template="emails/submission_declined.txt", context={"submission": submission, "url": settings.SITE_URL + url},
    )  # fmt: skip


def job_recruiters(job: Job):
    """The employer people to tell about a job's candidates: its coordinator and team recruiters."""
    return User.objects.filter(
        Q(pk=job.coordinator_id) | Q(team_jobs=job, role__in=[Role.OWNER, Role.RECRUITER]),
        is_active=True,
    ).distinct()


# Resumes -----------------------------------------------------------------------------------


def resume_attach(*, actor: User, candidate: Candidate, upload) -> Resume:
    resume = Resume(
        candidate=candidate, agency=candidate.agency, file=upload, original_name=upload.name[:255],
        size=upload.size, uploaded_by=actor,
    )  # fmt: skip
    resume.save()
    tasks.resume_parse.delay_on_commit(resume_id=resume.pk)
    return resume


# Recruiter actions -------------------------------------------------------------------------


@transaction.atomic
def application_set_stage(
    *, actor: User, application: Application, stage: str, reason: str = ""
) -> Application:
    if stage == Stage.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Give a reason for the rejection."})
    if application.stage == stage:
        return application
    previous = application.get_stage_display()
    application.stage = stage
    application.rejection_reason = reason.strip() if stage == Stage.REJECTED else ""
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "rejection_reason", "stage_changed_at"])
    core.audit_record(
        actor=actor, action="application.stage_changed", obj=application, agency_id=application.agency_id,
        summary=f"{application.candidate} for {application.job.title}: {previous} → {application.get_stage_display()}",
        data={"reason": application.rejection_reason} if application.rejection_reason else {},
    )  # fmt: skip
    return application


@transaction.atomic
def applications_set_stage(*, actor: User, applications, stage: str, reason: str = "") -> int:
    changed = 0
    for application in applications.select_related("candidate", "job").select_for_update(
        of=("self",)
    ):
        if application.stage != stage:
            application_set_stage(actor=actor, application=application, stage=stage, reason=reason)
            changed += 1
    return changed


def note_add(*, actor: User, candidate: Candidate, body: str) -> CandidateNote:
    note = CandidateNote(candidate=candidate, author=actor, body=body.strip())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def candidate_merge(*, actor: User, into: Candidate, merged: Candidate) -> CandidateMerge:
    """Fold `merged` into `into`: every application, submission, resume, note and claim moves over;
    the merged record stays (pointing at the survivor) so old links still lead somewhere."""
    if into.pk == merged.pk:
        raise ValidationError("A candidate cannot be merged with itself.")
    into, merged = (Candidate.objects.select_for_update().get(pk=c.pk) for c in (into, merged))
    if merged.merged_into_id or into.merged_into_id:
        raise ValidationError("One of these candidates was already merged.")
    snapshot = model_to_dict(merged, exclude=["merged_into"]) | {"public_id": str(merged.public_id)}
    snapshot = {key: str(value) if value is not None else None for key, value in snapshot.items()}
    for model in (Application, Submission, Resume, CandidateNote, IdentityClaim):
        model.objects.filter(candidate=merged).update(candidate=into)
    # Records merged into `merged` earlier now point at the survivor too, so that one step from
    # the survivor reaches every record of the person (their threads stay on those records).
    Candidate.objects.filter(merged_into=merged).update(merged_into=into)
    into.email = into.email or merged.email
    into.phone = into.phone or merged.phone
    into.save(update_fields=["email", "phone"])
    merged.merged_into = into
    merged.save(update_fields=["merged_into"])
    record = CandidateMerge.objects.create(
        into=into, merged=merged, merged_by=actor, snapshot=snapshot
    )
    core.audit_record(
        actor=actor, action="candidate.merged", obj=into, agency_id=into.agency_id,
        summary=f"Merged {merged} ({merged.public_id}) into {into}", data={"merged": snapshot},
    )  # fmt: skip
    return record


@transaction.atomic
def candidate_update_contact(
    *, actor: User, candidate: Candidate, email: str, phone: str, text_consent: bool = False
) -> Candidate:
    """A recruiter's "Edit contact info". The old value's claim is released and the new one taken
    through the same unique claim that decides submissions, so a value another live candidate holds
    is refused, never taken from them. Texting consent belongs to a number: a new phone starts
    without the consent given at submission unless the candidate agreed to this number."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    new = {"email": normalize_email(email), "phone": phone}
    if not (new["email"] or new["phone"]):
        raise ValidationError(
            {"email": "Keep an email address or a phone number, so that duplicates can be caught."}
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


# Background work ---------------------------------------------------------------------------

MAX_PARSE_ATTEMPTS = 2


def resume_parse(*, resume_id: int) -> None:
    """Parse in a child process with hard limits. Claims the row first, so a second delivery of the
    same task does nothing, and a parse cut off by a killed worker runs once more at most."""
    claimed = Resume.objects.filter(
        pk=resume_id,
        status__in=[Resume.Status.QUEUED, Resume.Status.PARSING],
        attempts__lt=MAX_PARSE_ATTEMPTS,
    ).update(status=Resume.Status.PARSING, attempts=F("attempts") + 1)
    if not claimed:
        _fail_if_interrupted_too_often(resume_id)
        return
    resume = Resume.objects.select_related("agency").get(pk=resume_id)
    region = resume.agency.country.code if resume.agency else ""
    try:
        with resume.file.open("rb") as handle:
            data = handle.read()
        parsed = sandbox.parse_in_subprocess(
            data, resume.original_name, default_region=region or "US"
        )
    except (ParseError, OSError) as exc:
        reason = (
            exc.reason
            if isinstance(exc, ParseError)
            else "The uploaded file is missing from storage."
        )
        Resume.objects.filter(pk=resume_id).update(
            status=Resume.Status.FAILED, failure_reason=reason[:300], parsed_at=timezone.now()
        )
        return
    Resume.objects.filter(pk=resume_id).update(
        status=Resume.Status.PARSED, parsed_at=timezone.now(), failure_reason="", text=parsed.text,
        parsed_name=parsed.full_name[:300], parsed_email=parsed.email[:254], parsed_phone=parsed.phone,
        summary=parsed.summary, education_summary=parsed.education_summary, experience=parsed.experience,
    )  # fmt: skip


def _fail_if_interrupted_too_often(resume_id: int) -> None:
    Resume.objects.filter(
        pk=resume_id, status=Resume.Status.PARSING, attempts__gte=MAX_PARSE_ATTEMPTS
    ).update(
        status=Resume.Status.FAILED,
        failure_reason="Reading this file was interrupted twice; it may be too complex. The original is kept.",
        parsed_at=timezone.now(),
    )


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


def audit_export(*, actor: User, what: str) -> None:
    core.audit_export(actor=actor, what=what, agency_id=agency_id_of(actor))


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
