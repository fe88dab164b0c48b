"""The duplicate and identity rule, in one place: whether a person presented for a job is New,
Previously submitted, Duplicate or Blocked (decision.py), the identity claims that decide it and
their moves when a recruiter edits contact info (claims.py), and the identity conflicts recruiters
resolve (conflicts.py)."""

from candidates.duplicates.claims import IdentityTaken, candidate_update_contact, normalize_email
from candidates.duplicates.conflicts import identity_conflict_resolve
from candidates.duplicates.decision import (
    IdentityContradiction,
    duplicate_rules_update,
    submission_create,
    submission_scan_duplicates,
)

__all__ = [
    "IdentityContradiction",
    "IdentityTaken",
    "candidate_update_contact",
    "duplicate_rules_update",
    "identity_conflict_resolve",
    "normalize_email",
    "submission_create",
    "submission_scan_duplicates",
]
