from django import template
from django.utils import dateformat

from messaging import quiet_hours

register = template.Library()


@register.filter
def their_time(moment, phone):
    """When a scheduled text goes out, as the candidate's clock reads: "Thu 08:00 AWST". (Django's
    date filter would show the site's time zone.)"""
    if not moment:
        return ""
    return dateformat.format(quiet_hours.scheduled_clock(phone, moment), "D H:i T")
