from collections.abc import Callable
from functools import cache
from uuid import UUID

from django import forms
from django.forms.renderers import TemplatesSetting
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from recruitment.models import Job

# What the empty choice of a required select says, instead of Django's "---------".
JOB_CHOICE_PROMPTS = {
    "country": "Choose a country…",
    "category": "Choose a category…",
    "function": "Choose a function…",
    "experience_level": "Choose a level…",
    "employment_type": "Choose a type…",
}


class JobForm(forms.ModelForm):
    hiring_team = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Recruiters and hiring managers working on this job. "
        "Hiring managers see only their jobs.",
    )

    class Meta:
        model = Job
        fields = [
            "title",
            "status",
            "location",
            "country",
            "category",
            "function",
            "experience_level",
            "employment_type",
            "coordinator",
            "hiring_team",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "description": "The default ad: what agencies and candidates read.",
            "coordinator": "The agencies' point of contact for this job.",
        }

    def __init__(self, *args, team_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = team_choices
        self.fields["coordinator"].empty_label = "Choose a coordinator…"
        self.fields["hiring_team"].queryset = team_choices
        for name, prompt in JOB_CHOICE_PROMPTS.items():
            _blank, *choices = self.fields[name].choices
            self.fields[name].choices = [("", prompt), *choices]
        if self.instance.pk:
            self.initial.setdefault("hiring_team", list(self.instance.hiring_team.all()))


class JobFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Title, REF or location"}),
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Job.Status.choices])
    category = forms.ChoiceField(
        required=False, choices=[("", "Any category"), *Job.Category.choices]
    )
    function = forms.ChoiceField(
        required=False, choices=[("", "Any function"), *Job.Function.choices]
    )
    country = LazyTypedChoiceField(required=False, choices=[("", "Any country"), *countries])


class DateRangeForm(forms.Form):
    """A form with a from/to pair of dates, named by `date_range`: a range that ends before it
    starts is reported at its end, which valid_filters then leaves out (the start still applies)."""

    date_range: tuple[str, str]

    def clean(self):
        data = super().clean()
        start, end = self.date_range
        if data.get(start) and data.get(end) and data[end] < data[start]:
            self.add_error(end, "The end date is before the start date.")
        return data


def query_text(request, name: str = "q") -> str:
    """A search box's text from the query string, cleaned as a form's field would be: text with a
    NUL character, which PostgreSQL refuses, searches for nothing instead of failing."""
    return _clean_query(forms.CharField(required=False), request.GET.get(name, "")) or ""


def query_uuid(request, name: str) -> UUID | None:
    """An object's public id from the query string; None when it is missing or not a UUID."""
    return _clean_query(forms.UUIDField(required=False), request.GET.get(name))


def query_id(request, name: str) -> int:
    """A row id from the query string (htmx's ?after= and ?before=); 0 when missing or not one."""
    field = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    return _clean_query(field, request.GET.get(name)) or 0


def _clean_query(field: forms.Field, value):
    try:
        return field.clean(value)
    except forms.ValidationError:
        return None


class FilterChoiceField(forms.TypedChoiceField):
    """A filter's <select> of (id, label) options. Plain values, not a ModelChoiceField: a filter of
    500 jobs builds no model per option, and checking a choice needs no query of its own. The
    options are read once, and only when the field is shown or checked (a results fragment that
    shows no filters reads none)."""

    def __init__(self, *, empty_label: str, **kwargs):
        super().__init__(required=False, coerce=int, empty_value=None, **kwargs)
        self.empty_label = empty_label

    def offer(self, options: Callable[[], list[tuple[int, str]]]) -> None:
        self.options = cache(lambda: [("", self.empty_label), *options()])
        self.choices = self.options


def valid_filters(form: forms.Form) -> dict:
    """The filters that passed validation; a bad one is reported at its field
    (templates/_filter_errors.html) and left out, and the others still apply."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def filters_applied(filters: dict) -> bool:
    """Whether valid filters narrow the list, so that an empty one says that nothing matches
    them (templates/_no_match.html) rather than that nothing exists."""
    return any(value not in (None, "", False) for value in filters.values())


def error_text(form: forms.Form) -> str:
    """A form's errors in one line, each after its field's label ("Rejection reason: Ensure this
    value has at most 300 characters (it has 301)."), for a form that answers with a message."""
    return " ".join(
        f"{form[name].label}: {error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    )


class FormRenderer(TemplatesSetting):
    """Every field renders label, widget, help and errors the same way
    (templates/forms/field.html)."""

    field_template_name = "forms/field.html"


def add_service_errors(form: forms.Form, error, renames: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message at the field it names
    (`renames` maps the service's names to the form's), the rest at the top of the form."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in messages.items():
        field = (renames or {}).get(field, field)
        form.add_error(field if field in form.fields else None, texts)
