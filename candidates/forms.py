from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.utils import timezone

from candidates import phones
from candidates.analytics import DEFAULT_DAYS, Period
from candidates.models import DuplicateRules, Stage
from candidates.parsing import sniff_kind
from recruitment.forms import DateRangeForm, FilterChoiceField

RESUME_KINDS = {".pdf": {"pdf"}, ".docx": {"zip"}, ".txt": {"text"}}
KEPT_SALT = "candidates.kept-resume"


def resume_limit_mb() -> int:
    return settings.RESUME_MAX_BYTES // (1024 * 1024)


class ResumeField(forms.FileField):
    """A PDF, DOCX or TXT within the size limit, whose bytes match its extension."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        extension = Path(upload.name).suffix.lower()
        if extension not in RESUME_KINDS:
            raise forms.ValidationError("Upload a PDF, Word (.docx) or text (.txt) file.")
        if upload.size > settings.RESUME_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1048576:.1f} MB; the limit is {resume_limit_mb()} MB."
            )
        head = upload.read(2048)
        upload.seek(0)
        kind = sniff_kind(head)
        if kind not in RESUME_KINDS[extension]:
            described = {"program": "a program", "image": "an image", "zip": "a zip archive"}.get(
                kind, f"a {kind} file"
            )
            raise forms.ValidationError(
                f"This file is named {extension} but its contents are {described}."
            )
        return upload


class SubmissionForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    phone = forms.CharField(
        max_length=40, required=False, label="Phone (with country code)",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "placeholder": "+44 7400 123456"}),
    )  # fmt: skip
    email = forms.EmailField(required=False)
    assignment = forms.ModelChoiceField(queryset=None, label="Job", empty_label="Choose a job…")
    resume = ResumeField(
        required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt"})
    )
    kept_resume = forms.CharField(required=False, widget=forms.HiddenInput)
    text_consent = forms.BooleanField(
        required=False,
        label="The candidate agreed to be texted (SMS or WhatsApp) about this application",
        help_text="The employer still asks them to confirm by text before any conversation starts.",
    )
    note = forms.CharField(
        required=False, label="Note to the recruiter", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this person fits, availability, salary expectations…",
    )  # fmt: skip

    def __init__(self, *args, assignments, agency, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency, self.user = agency, user
        self.fields["assignment"].queryset = assignments
        self.fields["assignment"].label_from_instance = lambda a: (
            f"{a.job.title} · {a.job.ref} · {a.job.location}"
        )
        self.fields[
            "phone"
        ].help_text = f"Numbers without a country code are read as {agency.country.name} numbers."
        self.fields[
            "resume"
        ].help_text = f"Optional. PDF, Word (.docx) or text, up to {resume_limit_mb()} MB. We read it for you."

    def clean_phone(self):
        try:
            return phones.to_e164(self.cleaned_data["phone"], self.agency.country.code)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error(
                "email",
                "Give an email address or a phone number, so that duplicates can be caught.",
            )
        if not data.get("resume") and data.get("kept_resume"):
            data["resume"] = self._kept_upload(data["kept_resume"])
        return data

    # A chosen resume survives a form error: it is stored once and carried in a signed hidden field.
    def keep_resume(self) -> None:
        upload = self.cleaned_data.get("resume") if hasattr(self, "cleaned_data") else None
        if not upload or "resume" in self.errors or getattr(upload, "kept_name", None):
            return
        name = default_storage.save(f"pending/{Path(upload.name).name}", upload)
        token = signing.dumps(
            {"name": name, "original": upload.name, "user": self.user.pk}, salt=KEPT_SALT
        )
        self.data = self.data.copy()
        self.data["kept_resume"] = token
        self.kept_resume_name = upload.name

    def _kept_upload(self, token: str):
        try:
            kept = signing.loads(token, salt=KEPT_SALT, max_age=3600)
        except signing.BadSignature:
            return None
        if kept["user"] != self.user.pk or not default_storage.exists(kept["name"]):
            return None
        upload = default_storage.open(kept["name"])
        upload.name, upload.kept_name = kept["original"], kept["name"]
        self.kept_resume_name = kept["original"]
        return upload


class PeopleSearchForm(DateRangeForm):
    date_range = ("submitted_from", "submitted_to")
    q = forms.CharField(
        required=False, label="Name", widget=forms.SearchInput(attrs={"placeholder": "Name"})
    )
    email = forms.CharField(
        required=False, widget=forms.SearchInput(attrs={"placeholder": "Email"})
    )
    phone = forms.CharField(
        required=False, widget=forms.SearchInput(attrs={"placeholder": "Phone"})
    )
    job = FilterChoiceField(empty_label="Any job")
    agency = FilterChoiceField(empty_label="Any agency")
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage"), *Stage.choices])
    submitted_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    submitted_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )
    duplicates_of = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, jobs: Callable[[], list], agencies: Callable[[], list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].offer(jobs)
        self.fields["agency"].offer(agencies)


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    reason = forms.CharField(required=False, max_length=300, label="Rejection reason")

    def clean(self):
        data = super().clean()
        rejected = data.get("stage") == Stage.REJECTED
        if rejected and "reason" not in self.errors and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason for the rejection.")
        return data


class BulkStageForm(StageForm):
    applications = forms.ModelMultipleChoiceField(
        queryset=None, label="People", error_messages={"required": "Tick at least one person."}
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].to_field_name = "public_id"


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        # The candidate page also holds the conversation's message box, whose field is "body" too.
        super().__init__(*args, auto_id="note_%s", **kwargs)


class MergeForm(forms.Form):
    merged = forms.UUIDField()


class DashboardFilterForm(DateRangeForm):
    date_range = ("period_from", "period_to")
    STATUSES = [
        ("", "Any status"), ("active", "Active"), ("hired", "Hired"), ("rejected", "Rejected"),
        ("duplicate", "Duplicate"), ("blocked", "Blocked"),
    ]  # fmt: skip
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Name, email or phone"}),
    )
    status = forms.ChoiceField(required=False, choices=STATUSES)
    job = FilterChoiceField(empty_label="Any job")
    period_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    period_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )

    def __init__(self, *args, jobs: Callable[[], list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].offer(jobs)


class DuplicateRulesForm(forms.ModelForm):
    class Meta:
        model = DuplicateRules
        fields = [
            "window_days",
            "scope",
            "block_when_hired",
            "block_when_in_process",
            "release_on_rejection",
        ]
        widgets = {"scope": forms.RadioSelect}
        labels = {"window_days": "Ownership window (days)"}


class AnalyticsForm(DateRangeForm):
    """The period (the last 90 days unless chosen) and, on the jobs view, one agency."""

    date_range = ("period_from", "period_to")

    period_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    agency = forms.ChoiceField(required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        """`agencies`: (public id, name) pairs, for the jobs view's agency filter."""
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [
                ("", "Every agency"),
                *((str(public_id), name) for public_id, name in agencies),
            ]

    def period(self) -> Period:
        """The chosen period; a missing end is today, a missing start 90 days before the end."""
        data = self.cleaned_data if self.is_valid() else {}
        last_day = data.get("period_to") or timezone.localdate()
        first_day = data.get("period_from") or last_day - timedelta(days=DEFAULT_DAYS - 1)
        return Period(first_day, last_day)

    def chosen_agency(self) -> tuple[str, str] | None:
        """The public id and name of the chosen agency, if any."""
        if not (self.is_valid() and self.cleaned_data.get("agency")):
            return None
        public_id = self.cleaned_data["agency"]
        return public_id, dict(self.fields["agency"].choices)[public_id]
