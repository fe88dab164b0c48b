"""A resume chosen on a submission form that came back with an error survives the next attempt.

It is stored once under pending/ and carried in the form as a signed token that only its user
can redeem within KEPT_FOR; once the submission is made the file is deleted, and the beat deletes
those of forms nobody sent again (pending_resumes_delete).
"""

from datetime import timedelta
from pathlib import Path

from django.core import signing
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

KEPT_FOR = timedelta(hours=1)
FOLDER = "pending"
SALT = "candidates.kept-resume"


def keep(*, user, upload) -> str:
    """Store the upload and answer the token that brings it back."""
    name = default_storage.save(f"{FOLDER}/{Path(upload.name).name}", upload)
    return signing.dumps({"name": name, "original": upload.name, "user": user.pk}, salt=SALT)


def redeem(*, user, token: str):
    """The kept file as an upload named as the user chose it, or None (forged, expired, gone)."""
    try:
        kept = signing.loads(token, salt=SALT, max_age=KEPT_FOR)
    except signing.BadSignature:
        return None
    if kept["user"] != user.pk or not default_storage.exists(kept["name"]):
        return None
    upload = default_storage.open(kept["name"])
    upload.name, upload.kept_name = kept["original"], kept["name"]
    return upload


def discard(upload) -> None:
    """Delete the kept file behind an upload once the submission that used it is committed."""
    if kept_name := getattr(upload, "kept_name", None):
        transaction.on_commit(lambda: default_storage.delete(kept_name))


def pending_resumes_delete() -> int:
    """Delete kept files no token can bring back any more; answer how many."""
    if not default_storage.exists(FOLDER):
        return 0
    expired = timezone.now() - KEPT_FOR
    _, files = default_storage.listdir(FOLDER)
    names = [f"{FOLDER}/{file}" for file in files]
    old = [name for name in names if default_storage.get_modified_time(name) < expired]
    for name in old:
        default_storage.delete(name)
    return len(old)
