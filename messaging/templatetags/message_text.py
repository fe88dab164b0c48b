import re

from django import template
from django.template.defaultfilters import linebreaksbr, urlize

register = template.Library()

# What Django's urlize can turn into a link: a scheme, "www.", an email, or a bare domain it knows.
MIGHT_LINK = re.compile(r"://|www\.|@|\.(com|edu|gov|int|mil|net|org)\b", re.IGNORECASE)


@register.filter(needs_autoescape=True)
def message_text(text, autoescape=True):
    """Escaped text with clickable links and line breaks. urlize is most of a 50-message page's
    rendering time, so text it would leave alone skips it."""
    if MIGHT_LINK.search(text):
        text = urlize(text, autoescape=autoescape)
    return linebreaksbr(text, autoescape=autoescape)
