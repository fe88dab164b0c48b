"""Opening an application's texts reads its conversation, for the viewer only: the conversations
inbox's unread dot clears for them, and stays for the rest of the team."""

from django.urls import reverse

from messaging.selectors import texting as selectors
from messaging.services import texting
from tests.factories import submit


def _unread(user) -> bool:
    return selectors.conversation_list(user=user, filters={}).get().unread


def test_opening_the_texts_reads_the_conversation_for_the_viewer_only(
    client_of, owner, recruiter, agency_a_user, assignment_a
):
    application = submit(agency_a_user, assignment_a).application
    texting.email_candidate(
        actor=owner, application=application, subject="Interview", body="See you Monday."
    )
    assert _unread(recruiter) and _unread(owner)
    page = reverse("messaging:application-texts", args=[application.public_id])
    assert client_of(recruiter).get(page).status_code == 200
    assert not _unread(recruiter)
    assert _unread(owner)  # nobody else's dot changes
