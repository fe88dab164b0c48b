"""Unread dots for the candidate lists of other apps' pages, which cannot ask messaging
themselves (apps depend one way: candidates <- messaging)."""

from django import template

from messaging.selectors import threads as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_candidates(context, rows) -> set[int]:
    """`{% unread_candidates page.object_list as unread %}`: the ids of the rows' candidates
    (rows with a `candidate_id`) whose agency thread the viewer has not read; one query."""
    candidate_ids = [getattr(row, "candidate_id", None) for row in rows]
    return selectors.candidates_with_unread(
        user=context["request"].user, candidate_ids=candidate_ids
    )
