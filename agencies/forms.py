from django import forms
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from agencies.models import JobAssignment
from recruitment.models import Role


class AgencyCreateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Agency name")
    country = LazyTypedChoiceField(
        choices=countries, help_text="Used as the default region of phone numbers."
    )
    website = forms.URLField(required=False, assume_scheme="https")
    admin_first_name = forms.CharField(max_length=150, label="Admin's first name")
    admin_last_name = forms.CharField(max_length=150, label="Admin's last name")
    admin_email = forms.EmailField(
        label="Admin's email", help_text="They receive a link to set their password."
    )


class InvitationForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[(Role.AGENCY_RECRUITER, "Agency recruiter"), (Role.AGENCY_ADMIN, "Agency admin")],
        initial=Role.AGENCY_RECRUITER,
        help_text="Admins see every candidate of the agency and manage its users.",
    )


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not only digits, not a common password.",
    )
    password2 = forms.CharField(
        label="Repeat password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "The two passwords do not match.")
        return data


class AssignmentForm(forms.ModelForm):
    agency = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the agency to send this job to."},
    )

    class Meta:
        model = JobAssignment
        fields = ["agency", "instructions", "fee_percent", "guarantee_days", "max_submissions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "fee_percent": "Optional. Placement fee as a % of first-year salary.",
            "guarantee_days": "Optional. Days the agency replaces a hire who leaves.",
            "max_submissions": "Optional. The agency cannot submit more candidates than this.",
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
