from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, agency_id_of
from candidates import phones, sandbox, tasks
from candidates.models import (
    Application,
    Candidate,
    CandidateMerge,
    CandidateNote,
    IdentityClaim,
    IdentityConflict,
    Resume,
    Stage,
    Submission,
)
from candidates.parsing import ParseError
from recruitment import services as core
from recruitment.models import Job, Role, User

CONFIRMATION_SALT = "candidates.submission-confirmation"


# The candidate's confirmation link --------------------------------------------------------


def ask_candidate_to_confirm(submission: Submission) -> None:
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


def submission_confirm(*, token: str, confirmed: bool) -> Submission:
    """The candidate's one-click answer. The first answer counts; a decline tells the recruiters."""
    with transaction.atomic():
        submission = submission_for_confirmation(token)
        answer = (
            Submission.Confirmation.CONFIRMED if confirmed else Submission.Confirmation.DECLINED
        )
        updated = Submission.objects.filter(
            pk=submission.pk, confirmation=Submission.Confirmation.PENDING
        ).update(confirmation=answer, confirmation_answered_at=timezone.now())
        submission.refresh_from_db()
        if not updated:
            return submission
        core.audit_record(
            actor=None,
            action=f"submission.{answer}",
            obj=submission,
            agency_id=submission.agency_id,
            summary=f"The candidate {answer} that {submission.agency} "
            f"may present them for {submission.job}",
        )
        if answer == Submission.Confirmation.DECLINED:
            _tell_recruiters_of_decline(submission)
        return submission


def _tell_recruiters_of_decline(submission: Submission) -> None:
    recipients = job_recruiters(submission.job)
    url = reverse(
        "candidates:candidate-detail", kwargs={"public_id": submission.candidate.public_id}
    )
    text = (
        f"{submission.full_name} says they did not authorise {submission.agency} "
        f"to present them for {submission.job.title}"
    )
    core.notify(users=recipients, text=text, url=url)
    core.email_send_on_commit(
        to=[user.email for user in recipients],
        subject=f"Candidate declined: {submission.full_name}",
        template="emails/submission_declined.txt",
        context={"submission": submission, "url": settings.SITE_URL + url},
    )


def job_recruiters(job: Job):
    """The employer people to tell about a job's candidates: its coordinator and team recruiters."""
    return User.objects.filter(
        Q(pk=job.coordinator_id) | Q(team_jobs=job, role__in=[Role.OWNER, Role.RECRUITER]),
        is_active=True,
    ).distinct()


# Resumes -----------------------------------------------------------------------------------


def resume_attach(*, actor: User, candidate: Candidate, upload) -> Resume:
    resume = Resume(
        candidate=candidate,
        agency=candidate.agency,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    resume.save()
    tasks.resume_parse.delay_on_commit(resume_id=resume.pk)
    return resume


def _phone_region(agency: Agency | None) -> str:
    """Where a resume's numbers without a country code are read: the agency's country."""
    return (agency.country.code if agency else "") or "US"


PREFILL_TIMEOUT_SECONDS = 10  # the user waits for it, where a stored resume's parse has 20


def resume_prefill(*, agency: Agency, upload) -> dict[str, str]:
    """The submission form's first_name, last_name, email and phone (as typed there, with its
    country code) read from an upload, those found only. It is parsed in the sandbox as
    resume_parse parses, but at once; nothing is kept. Raises ParseError."""
    upload.seek(0)
    parsed = sandbox.parse_in_subprocess(
        upload.read(),
        upload.name,
        default_region=_phone_region(agency),
        timeout=PREFILL_TIMEOUT_SECONDS,
    )
    found = {
        "first_name": parsed.first_name,
        "last_name": parsed.last_name,
        "email": parsed.email,
        "phone": phones.international(parsed.phone),
    }
    return {name: value for name, value in found.items() if value}


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
        actor=actor,
        action="application.stage_changed",
        obj=application,
        agency_id=application.agency_id,
        summary=f"{application.candidate} for {application.job.title}: "
        f"{previous} → {application.get_stage_display()}",
        data={"reason": application.rejection_reason} if application.rejection_reason else {},
    )
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


def candidate_merge(*, actor: User, into: Candidate, merged: Candidate) -> CandidateMerge:
    """Fold `merged` into `into`: every application, submission, resume, note and claim moves over;
    the merged record stays (pointing at the survivor) so old links still lead somewhere."""
    with transaction.atomic():
        if into.pk == merged.pk:
            raise ValidationError("A candidate cannot be merged with itself.")
        into, merged = (Candidate.objects.select_for_update().get(pk=c.pk) for c in (into, merged))
        if merged.merged_into_id or into.merged_into_id:
            raise ValidationError("One of these candidates was already merged.")
        snapshot = model_to_dict(merged) | {"public_id": str(merged.public_id)}
        snapshot = {
            key: str(value) if value is not None else None for key, value in snapshot.items()
        }
        for model in (
            Application,
            Submission,
            Resume,
            CandidateNote,
            IdentityClaim,
            IdentityConflict,
        ):
            model.objects.filter(candidate=merged).update(candidate=into)
        # Records merged into `merged` earlier now point at the survivor too, so that one step from
        # the survivor reaches every record of the person (their threads stay on those records).
        Candidate.objects.filter(merged_into=merged).update(merged_into=into)
        into.email = into.email or merged.email
        into.phone = into.phone or merged.phone
        # not mutated: both rows are locked above, so saving every field writes the same
        into.save(update_fields=["email", "phone"])  # pragma: no mutate
        merged.merged_into = into
        merged.save(update_fields=["merged_into"])  # pragma: no mutate
        record = CandidateMerge.objects.create(
            into=into, merged=merged, merged_by=actor, snapshot=snapshot
        )
        core.audit_record(
            actor=actor,
            action="candidate.merged",
            obj=into,
            agency_id=into.agency_id,
            summary=f"Merged {merged} ({merged.public_id}) into {into}",
            data={"merged": snapshot},
        )
        return record


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
    try:
        with resume.file.open("rb") as handle:
            data = handle.read()
        parsed = sandbox.parse_in_subprocess(
            data, resume.original_name, default_region=_phone_region(resume.agency)
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
        status=Resume.Status.PARSED,
        parsed_at=timezone.now(),
        failure_reason="",
        text=parsed.text,
        parsed_name=parsed.full_name[:300],
        parsed_email=parsed.email[:254],
        parsed_phone=parsed.phone,
        summary=parsed.summary,
        education_summary=parsed.education_summary,
        experience=parsed.experience,
        education=parsed.education,
        skills=parsed.skills,
        languages=parsed.languages,
    )


def _fail_if_interrupted_too_often(resume_id: int) -> None:
    Resume.objects.filter(
        pk=resume_id, status=Resume.Status.PARSING, attempts__gte=MAX_PARSE_ATTEMPTS
    ).update(
        status=Resume.Status.FAILED,
        failure_reason="Reading this file was interrupted twice; it may be too complex. "
        "The original is kept.",
        parsed_at=timezone.now(),
    )


def audit_export(*, actor: User, what: str) -> None:
    core.audit_export(actor=actor, what=what, agency_id=agency_id_of(actor))
