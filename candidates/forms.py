from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django_countries import countries

from candidates import kept_resumes, phones, selectors
from candidates.analytics import DEFAULT_DAYS, Period
from candidates.models import DuplicateRules, Stage
from candidates.parsing import sniff_kind
from candidates.parsing.files import RESUME_KINDS, content_mismatch
from recruitment.forms import DateRangeForm, FilterChoiceField

RESUME_FORMATS = "PDF, Word (.docx or .doc), OpenDocument (.odt), RTF or text (.txt)"


def resume_limit_mb() -> int:
    return settings.RESUME_MAX_BYTES // (1024 * 1024)


class ResumeField(forms.FileField):
    """A resume file (RESUME_KINDS) within the size limit, whose bytes fit its name."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        extension = Path(upload.name).suffix.lower()
        if extension not in RESUME_KINDS:
            raise forms.ValidationError(f"Upload a {RESUME_FORMATS} file.")
        if upload.size > settings.RESUME_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1048576:.1f} MB; the limit is {resume_limit_mb()} MB."
            )
        head = upload.read(2048)
        upload.seek(0)
        mismatch = content_mismatch(extension, sniff_kind(head))
        if mismatch:
            raise forms.ValidationError(mismatch)
        return upload


class SubmissionForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    phone = forms.CharField(
        max_length=40,
        required=False,
        label="Phone (with country code)",
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "placeholder": "+44 7400 123456"}
        ),
    )
    email = forms.EmailField(required=False)
    assignment = forms.ModelChoiceField(queryset=None, label="Job", empty_label="Choose a job…")
    resume = ResumeField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ",".join(RESUME_KINDS),
                "data-prefill-url": reverse_lazy("portal-candidates:prefill"),
            }
        ),
    )
    kept_resume = forms.CharField(required=False, widget=forms.HiddenInput)
    text_consent = forms.BooleanField(
        required=False,
        label="The candidate agreed to be texted (SMS or WhatsApp) about this application",
        help_text="The employer still asks them to confirm by text before any conversation starts.",
    )
    note = forms.CharField(
        required=False,
        label="Note to the recruiter",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this person fits, availability, salary expectations…",
    )
    # The email or phone ("phone:+44…") the user confirmed after being told it is already known.
    confirm_identity = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, assignments, agency, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency, self.user = agency, user
        self.fields["assignment"].queryset = assignments
        self.fields["assignment"].label_from_instance = _job_with_places
        self.identity_question = self.data.get("confirm_identity", "")
        self.fields[
            "phone"
        ].help_text = f"Numbers without a country code are read as {agency.country.name} numbers."
        self.fields["resume"].help_text = (
            f"Optional. {RESUME_FORMATS}, up to {resume_limit_mb()} MB. We read it and fill in"
            " the name, email and phone you have not typed."
        )

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
            data["resume"] = kept_resumes.redeem(user=self.user, token=data["kept_resume"])
            self.kept_resume_name = getattr(data["resume"], "name", "")
        return data

    def ask_to_confirm(self, confirmation: str) -> None:
        """Offer the checkbox that confirms this email or phone (the error is at its field)."""
        self.identity_question = confirmation
        data = self.data.copy()
        data.pop("confirm_identity", None)
        self.data = data

    @property
    def identity_question_what(self) -> str:
        return "email address" if self.identity_question.startswith("email:") else "phone number"

    def keep_resume(self) -> None:
        """Carry a chosen resume into the form shown again with its errors
        (candidates.kept_resumes)."""
        upload = self.cleaned_data.get("resume") if hasattr(self, "cleaned_data") else None
        if not upload or "resume" in self.errors or getattr(upload, "kept_name", None):
            return
        self.data = self.data.copy()
        self.data["kept_resume"] = kept_resumes.keep(user=self.user, upload=upload)
        self.kept_resume_name = upload.name


class ResumePrefillForm(forms.Form):
    """A resume chosen on the submission form, checked as that form checks it, to fill it from."""

    resume = ResumeField(error_messages={"required": "Choose a resume file."})


def _job_with_places(assignment) -> str:
    label = f"{assignment.job.title} · {assignment.job.ref} · {assignment.job.location}"
    left = selectors.places_left(assignment)
    if left is None:
        return label
    return f"{label} · {_places(left, assignment.max_submissions)}"


def _places(left: int, cap: int) -> str:
    if not left:
        return f"cap of {cap} reached"
    return f"{left} of {cap} place{'s' if cap != 1 else ''} left"


class ContactForm(forms.Form):
    """Edit contact info: the phone is read as the candidate's country's when typed without a
    code."""

    email = forms.EmailField(required=False)
    phone = forms.CharField(
        max_length=40,
        required=False,
        label="Phone (with country code)",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    text_consent = forms.BooleanField(
        required=False,
        label="The candidate agreed to be texted at this number",
        help_text="Only asked when the phone changes: consent given for the old number does not "
        "carry over, and the candidate still confirms by text before any conversation starts.",
    )

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if region:
            self.fields[
                "phone"
            ].help_text = (
                f"Numbers without a country code are read as {countries.name(region)} numbers."
            )

    def clean_phone(self):
        try:
            return phones.to_e164(self.cleaned_data["phone"], self.region)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class IdentityResolveForm(forms.Form):
    DECISIONS = [("same_person", "Same person"), ("different_people", "Different people")]
    decision = forms.ChoiceField(
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they are the same person."},
    )
    give_identifier = forms.BooleanField(required=False)
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, conflict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["give_identifier"].label = (
            f"The {conflict.what} {conflict.value} is the new person's (only once "
            f"{conflict.known_name} no longer has it)"
        )


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
    stage = forms.ChoiceField(choices=Stage.choices, error_messages={"required": "Choose a stage."})
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
        ("", "Any status"),
        ("active", "Active"),
        ("hired", "Hired"),
        ("rejected", "Rejected"),
        ("duplicate", "Duplicate"),
        ("blocked", "Blocked"),
    ]
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
