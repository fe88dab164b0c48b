from django import template

from candidates import analytics

register = template.Library()
register.filter("percent", analytics.percent)
register.filter("days", analytics.days)
