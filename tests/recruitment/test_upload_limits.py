"""Too much to send gets an answer a person understands, never a 500: a file over its limit is
refused at its field, and a form whose text is over DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 page.
(The proxy in docker-compose.yml caps whole requests before they reach the app.)"""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.services import threads as messaging_services
from recruitment.middleware import POLICY
from tests.factories import submit


def _submission(assignment, **overrides):
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "assignment": assignment.pk,
    } | overrides


def test_resume_over_the_limit_is_refused_at_its_field(client_of, agency_a_user, assignment_a):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE too, so it is streamed to disk as in production.
    resume = SimpleUploadedFile("cv.txt", b"a" * (settings.RESUME_MAX_BYTES + 1))
    response = client_of(agency_a_user).post(
        reverse("portal-candidates:create"), _submission(assignment_a, resume=resume)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["resume"] == [
        "This file is 10.0 MB; the limit is 10 MB."
    ]
    assert 'value="Lovelace"' in response.content.decode()


def test_chat_attachment_over_the_limit_shows_in_the_compose_box(
    client_of, recruiter, agency_a_user, assignment_a, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    thread = messaging_services.candidate_thread_start(
        actor=agency_a_user, candidate=submit(agency_a_user, assignment_a).candidate, body="Hi"
    ).thread
    response = client_of(recruiter).post(
        reverse("messaging:message-post", args=[thread.public_id]),
        {"body": "See attached", "files": [SimpleUploadedFile("big.txt", b"a" * 2048)]},
        headers={"HX-Request": "true"},
    )
    # htmx swaps only 2xx answers, so the errors come with 200 and are aimed at the compose box.
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#compose" and response["HX-Reswap"] == "outerHTML"
    assert "“big.txt” is larger than 0 MB." in response.content.decode()
    assert thread.messages.count() == 1


def test_text_over_the_request_limit_gets_a_413_page(
    client_of, agency_a_user, assignment_a, settings
):
    settings.DEBUG = False  # with DEBUG on, Django shows its technical page instead
    note = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_of(agency_a_user).post(
        reverse("portal-candidates:create"), _submission(assignment_a, note=note)
    )
    assert response.status_code == 413
    assert "That was too much to send" in response.content.decode()
    assert response["Content-Security-Policy"] == POLICY


def test_other_unreadable_requests_keep_the_plain_400(client_of, agency_a_user, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = client_of(agency_a_user).post(
        reverse("portal-candidates:create"), {f"field{n}": "x" for n in range(5)}
    )
    assert response.status_code == 400
