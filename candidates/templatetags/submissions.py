"""Submission figures that pages of the agency portal show beside a job."""

from django import template

from candidates import selectors

register = template.Library()


@register.simple_tag
def places_left(assignment):
    """The places the cap leaves for the assignment's agency (None: no cap)."""
    return selectors.places_left(assignment)
