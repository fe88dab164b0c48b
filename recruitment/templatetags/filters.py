from html import escape

from django import template
from django.utils.safestring import mark_safe

from recruitment.forms import FilterChoiceField

register = template.Library()


@register.simple_tag
def select_options(field):
    """A filter <select>'s options in one pass: Django's widget templates cost ~0.1 ms per option,
    and a template loop over a ModelChoiceField counts the rows before reading them."""
    current = "" if field.value() is None else str(field.value())
    # A FilterChoiceField's options are plain pairs already; `choices` would normalise each again.
    options = (
        field.field.options() if isinstance(field.field, FilterChoiceField) else field.field.choices
    )
    html = []
    for value, label in options:
        value = str(value)
        selected = " selected" if value == current else ""
        html.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(html))  # each value and label is escaped above
