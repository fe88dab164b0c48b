"""The identity claims: one row per email or phone (and per job, under a per-job rule) that
decides who a person is. Taken at submission, taken over once expired, moved when a recruiter
edits contact info; a value another live candidate holds is never taken from them."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from candidates.models import (
    Application,
    Candidate,
    DuplicateRules,
    IdentityClaim,
    Stage,
)
from recruitment import services as core
from recruitment.models import User


class IdentityTaken(Exception):
    def __init__(self, candidate: Candidate):
        self.candidate = candidate


Kind = IdentityClaim.Kind


FIELD_OF = {Kind.EMAIL: "email", Kind.PHONE: "phone"}


def kind_label(kind: str) -> str:
    return "email address" if kind == Kind.EMAIL else "phone number"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def claim(kind, value, job_id, candidate, now, rules, *, since=None) -> None:
    """Take the claim on an email or phone for `candidate`, or raise IdentityTaken. `since`: when
    the person's window began, if earlier than now (a recruiter's edit keeps the window)."""
    if not _insert_claim(kind, value, job_id, candidate, since or now):
        _take_over_expired_claim(kind, value, job_id, candidate, now, rules)


def take_identity(kind, value, job_id, candidate, rules, *, since=None) -> None:
    """A recruiter gives a candidate an email or phone: refused (IdentityTaken) while another live
    candidate shows it on their profile or holds its claim, even an expired one never taken over
    silently from a profile that still shows it."""
    field = FIELD_OF[kind]
    other = (
        Candidate.objects.filter(merged_into__isnull=True, **{field: value})
        # not mutated: the callers give the candidate the value after this check, not before
        .exclude(pk=candidate.pk)  # pragma: no mutate
        .first()
    )
    if other is not None:
        raise IdentityTaken(other)
    claim(kind, value, job_id, candidate, timezone.now(), rules, since=since)


def _insert_claim(kind, value, job_id, candidate, now) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True when this transaction now holds the claim."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IdentityClaim._meta.db_table}"
            " (kind, value, job_id, candidate_id, claimed_at)"
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
                    "email": "Keep an email address or a phone number, "
                    "so that duplicates can be caught."
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
    """Claims for a candidate who holds none: from their submission, per job if the scope says
    so."""
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
            take_identity(kind, value, job_id, candidate, rules, since=since)
    except IdentityTaken as taken:
        raise ValidationError(
            {
                field: f"This {kind_label(kind)} already belongs to {taken.candidate} (another "
                f"candidate). Check it; to move it, remove it from {taken.candidate}'s profile "
                "first."
            }
        ) from None
