from django import forms
from django.conf import settings
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from agencies.models import JobAssignment
from agencies.selectors import EMPLOYER
from recruitment.forms import DateRangeForm
from recruitment.models import AGENCY_ROLES, Role


class AgencyCreateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Agency name")
    country = LazyTypedChoiceField(
        choices=[("", "Choose a country…"), *countries],
        help_text="Used as the default region of phone numbers.",
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


class AssignmentTermsForm(forms.ModelForm):
    """The instructions and terms of an assignment, when it is sent and when it is edited."""

    class Meta:
        model = JobAssignment
        fields = ["instructions", "fee_percent", "guarantee_days", "max_submissions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "fee_percent": "Optional. Placement fee as a % of first-year salary.",
            "guarantee_days": "Optional. Days the agency replaces a hire who leaves.",
            "max_submissions": "Optional. The agency cannot submit more candidates than this.",
        }


class AssignmentForm(AssignmentTermsForm):
    agency = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the agency to send this job to."},
    )

    class Meta(AssignmentTermsForm.Meta):
        fields = ["agency", *AssignmentTermsForm.Meta.fields]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class UserFilterForm(forms.Form):
    """Owners filter by agency, country, access level and status; agency admins by access level and
    status (pass agencies=None)."""

    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Name or email"}),
    )
    agency = forms.ChoiceField(required=False)
    country = forms.ChoiceField(required=False)
    role = forms.ChoiceField(required=False, label="Access level")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), ("active", "Active"), ("disabled", "Disabled")],
    )

    def __init__(self, *args, roles, agencies=None, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any access level"), *roles]
        if agencies is None:
            del self.fields["agency"], self.fields["country"]
            return
        self.fields["agency"].choices = [
            ("", "Any organisation"),
            (EMPLOYER, f"{settings.EMPLOYER_NAME} staff"),
            *((str(agency.public_id), agency.name) for agency in agencies),
        ]
        self.fields["country"].choices = [
            ("", "Any country"),
            *((code, countries.name(code)) for code in country_codes),
        ]


class UserEditForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        label="Access level",
        error_messages={"invalid_choice": "You cannot give this access level."},
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        """`roles` are the access levels the viewer may give; without any, the field is left out."""
        super().__init__(*args, **kwargs)
        if not roles:
            del self.fields["role"]
            return
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        self.fields["role"].help_text = (
            "Agency admins see every candidate of the agency and manage its users; agency "
            "recruiters see the candidates they submitted."
            if roles[0] in AGENCY_ROLES
            else "Owners manage users, agencies and settings. Recruiters work on every job; "
            "hiring managers see only the jobs whose hiring team includes them."
        )


class AuditFilterForm(DateRangeForm):
    date_range = ("date_from", "date_to")

    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Search the descriptions"}),
    )
    action = forms.ChoiceField(required=False)
    actor = forms.CharField(
        required=False,
        label="Actor",
        widget=forms.SearchInput(attrs={"placeholder": "Who: name or email"}),
    )
    agency = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any agency", to_field_name="public_id"
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *((a, _readable(a)) for a in actions)]
        self.fields["agency"].queryset = agencies


def _readable(action: str) -> str:
    """ "user.role_changed" reads "User role changed"."""
    return action.replace(".", " ").replace("_", " ").capitalize()
