"""Identity conflicts a recruiter resolves: the submission held because its email or phone
belongs to someone already known under another name is filed under that person or given a
record of its own."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidates.duplicates.claims import FIELD_OF, IdentityTaken, kind_label, take_identity
from candidates.duplicates.decision import Outcome, application_for, identities, job_to_claim
from candidates.models import (
    Candidate,
    DuplicateRules,
    IdentityConflict,
    Submission,
)
from candidates.services import ask_candidate_to_confirm, resume_attach
from recruitment import services as core
from recruitment.models import User


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
        # not mutated: select_related only saves queries
        related = ("submission__job", "submission__agency", "submission__submitted_by", "candidate")
        conflict = (
            IdentityConflict.objects.select_for_update(of=("self",))
            .select_related(*related)  # pragma: no mutate
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
            summary=f"{submission.full_name} / {conflict.known_name}: "
            f"{conflict.get_status_display().lower()}",
            data={
                "note": conflict.note,
                "candidate": str(submission.candidate.public_id),
                "outcome": submission.outcome,
            },
        )
        core.notify(
            users=[submission.submitted_by],
            text=f"{settings.EMPLOYER_NAME} reviewed your submission of {submission.full_name}: "
            f"{submission.get_outcome_display()}",
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
        submission.application = application_for(known, submission)
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
    for kind, value in identities(submission):
        if _give_identity(conflict, submission, person, (kind, value), give_identifier, rules):
            setattr(person, FIELD_OF[kind], value)
    # not mutated: saving every field is the same, as the row was created above
    person.save(update_fields=["email", "phone"])  # pragma: no mutate
    submission.outcome, submission.candidate = Outcome.NEW, person
    submission.reason = (
        f"Reviewed by {settings.EMPLOYER_NAME}: not the person already known with this "
        f"{kind_label(conflict.kind)}. Added as a Lead and counted in your submissions."
    )
    submission.application = application_for(person, submission)
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
        take_identity(*identity, job_to_claim(submission, rules), person, rules)
    except IdentityTaken as taken:
        if not contested:
            return False
        raise ValidationError(
            {
                "give_identifier": f"The {kind_label(identity[0])} still belongs to "
                f"{taken.candidate}. "
                "Remove it from their profile (Edit contact info) first, or leave it with them."
            }
        ) from None
    return True
