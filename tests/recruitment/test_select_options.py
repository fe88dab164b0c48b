from django import forms

from recruitment.templatetags.filters import select_options


class JobFilter(forms.Form):
    job = forms.ChoiceField(
        required=False, choices=[("", "Any job"), (1, 'R&D <lead> "A"'), (2, "Designer")]
    )


def test_options_are_escaped_and_the_current_choice_is_selected():
    html = select_options(JobFilter({"job": "2"})["job"])
    assert html == (
        '<option value="">Any job</option>'
        '<option value="1">R&amp;D &lt;lead&gt; &quot;A&quot;</option>'
        '<option value="2" selected>Designer</option>'
    )


def test_the_empty_choice_is_selected_without_a_value():
    html = select_options(JobFilter()["job"])
    assert html.startswith('<option value="" selected>Any job</option>')
    assert html.count("selected") == 1
