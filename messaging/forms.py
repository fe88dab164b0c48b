from collections.abc import Callable
from pathlib import Path

from django import forms
from django.conf import settings

from candidates import phones
from messaging.services.threads import MAX_MESSAGE_LENGTH
from recruitment.forms import FilterChoiceField

ATTACHMENT_TYPES = {".pdf", ".docx", ".doc", ".txt", ".png", ".jpg", ".jpeg", ".xlsx", ".csv"}
MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five files of the usual office and image types, each within the size limit."""

    widget = MultipleFileInput(attrs={"accept": ",".join(sorted(ATTACHMENT_TYPES))})

    def clean(self, data, initial=None):
        files = [super(AttachmentsField, self).clean(item, initial) for item in (data or [])]
        files = [upload for upload in files if upload]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"Attach at most {MAX_ATTACHMENTS} files to one message.")
        for upload in files:
            if Path(upload.name).suffix.lower() not in ATTACHMENT_TYPES:
                raise forms.ValidationError(
                    f"“{upload.name}” is not allowed: attach PDF, Word, Excel, CSV, text or images."
                )
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
                raise forms.ValidationError(f"“{upload.name}” is larger than {limit} MB.")
        return files


class MessageForm(forms.Form):
    body = forms.CharField(
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Write a message…"}),
    )
    files = AttachmentsField(required=False, label="Attach files")

    def clean(self):
        data = super().clean()
        if not data.get("body", "").strip() and not data.get("files") and not self.errors:
            self.add_error("body", "Write a message or attach a file.")
        return data


class GeneralThreadForm(MessageForm):
    agency = forms.ModelChoiceField(queryset=None, empty_label="Choose an agency…")
    subject = forms.CharField(max_length=200)
    field_order = ["agency", "subject", "body", "files"]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]  # an agency user always writes to the employer
        else:
            self.fields["agency"].queryset = agencies


def _partner_label(user) -> str:
    side = user.membership.agency if user.is_agency_user else user.get_role_display()
    return f"{user.full_name or user.email} · {side}"


class PrivateThreadForm(MessageForm):
    partner = forms.ModelChoiceField(queryset=None, label="With", empty_label="Choose a person…")
    field_order = ["partner", "body", "files"]

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = _partner_label


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Words of messages or subjects, or a name"}),
    )
    candidate = forms.CharField(
        required=False, widget=forms.SearchInput(attrs={"placeholder": "Candidate"})
    )
    agency = FilterChoiceField(empty_label="Any agency")
    unread = forms.BooleanField(required=False, label="Unread only")
    private = forms.BooleanField(required=False, label="Private only")

    def __init__(self, *args, agencies: Callable[[], list] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].offer(agencies)


class TextForm(forms.Form):
    """One compose box for the three channels. Without a texting seat (`can_text=False`) only
    email is offered, and a text posted anyway is refused at the channel, keeping what was typed."""

    NO_SEAT = "Texting needs a texting seat; an Owner can give you one. You can send an email."

    channel = forms.ChoiceField(
        choices=[("sms", "SMS"), ("whatsapp", "WhatsApp"), ("email", "Email")],
        widget=forms.RadioSelect,
        initial="sms",
    )
    subject = forms.CharField(required=False, max_length=200, help_text="For email only.")
    body = forms.CharField(
        label="Message",
        max_length=10_000,
        widget=forms.Textarea(
            attrs={"rows": 3, "data-text-counter": "1600", "placeholder": "Write a message…"}
        ),
    )
    night = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("send", "Send now"), ("morning", "Schedule")],
        widget=forms.HiddenInput,
    )
    outside_window = forms.ChoiceField(
        required=False,
        label="WhatsApp outside the 24-hour window",
        choices=[
            ("hold", "Send the invitation now and my message once they answer"),
            ("invitation_only", "Send only the invitation"),
        ],
        initial="hold",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, can_text: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_text = can_text
        if not can_text:
            self.fields["channel"].widget = forms.HiddenInput()
            self.fields["subject"].help_text = ""
            self.initial["channel"] = "email"

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel != "email" and not self.can_text:
            raise forms.ValidationError(self.NO_SEAT)
        return channel


class SenderNumberForm(forms.Form):
    number = forms.CharField(
        max_length=40,
        label="Number (international form)",
        widget=forms.TextInput(attrs={"placeholder": "+1 415 555 0123", "type": "tel"}),
    )


class SimulatedReplyForm(forms.Form):
    from_number = forms.CharField(max_length=40, label="From (the candidate's number)")
    channel = forms.ChoiceField(choices=[("sms", "SMS"), ("whatsapp", "WhatsApp")])
    body = forms.CharField(max_length=1600, widget=forms.TextInput(attrs={"placeholder": "YES"}))

    def clean_from_number(self):
        return phones.to_e164(self.cleaned_data["from_number"])


class SimulatedDeliveryForm(forms.Form):
    """A delivery report for one of the texts the console lists."""

    message = forms.ModelChoiceField(
        queryset=None,
        to_field_name="public_id",
        error_messages={"invalid_choice": "That text is not one you can see."},
    )
    delivery = forms.ChoiceField(choices=[("delivered", "Delivered"), ("failed", "Failed")])

    def __init__(self, *args, texts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].queryset = texts


class ConversationFilterForm(forms.Form):
    channel = forms.ChoiceField(
        required=False,
        choices=[("", "Any channel"), ("sms", "SMS"), ("whatsapp", "WhatsApp"), ("email", "Email")],
    )
    job = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any job")
    unread = forms.BooleanField(required=False, label="Unread only")

    def __init__(self, *args, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs
