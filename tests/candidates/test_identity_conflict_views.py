"""The recruiters' pages of identity questions: the list, a case and its decision, the held resume."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies import services as agency_services
from candidates.models import IdentityConflict, Submission
from tests.factories import AssignmentFactory, submit

PHONE = "+447400123456"


@pytest.fixture
def case(agency_a_user, agency_b_user, assignment_a, job):
    submit(agency_a_user, assignment_a, phone=PHONE)
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    held = submit(
        agency_b_user,
        assignment_b,
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.com",
        phone=PHONE,
        confirmed_identity=f"phone:{PHONE}",
        resume=SimpleUploadedFile("g.txt", b"CV of Grace"),
    )
    return held.identity_conflict


def _detail(case):
    return reverse("candidates:identity-conflict", args=[case.public_id])


LIST = reverse("candidates:identity-conflicts")


def test_list_shows_open_cases_and_people_links_to_it_with_a_count(client_of, recruiter, case):
    client = client_of(recruiter)
    html = client.get(LIST).content.decode()
    assert _detail(case) in html and "Grace Hopper" in html and "Ada Lovelace" in html
    people = client.get(reverse("candidates:people")).content.decode()
    assert LIST in people and 'aria-label="1 open"' in people
    assert _detail(case) not in client.get(LIST, {"status": "resolved"}).content.decode()


def test_the_known_candidates_page_flags_the_case(client_of, recruiter, case):
    page = reverse("candidates:candidate-detail", args=[case.candidate.public_id])
    html = client_of(recruiter).get(page).content.decode()
    assert "Identity questions" in html and _detail(case) in html


def test_detail_compares_both_and_offers_the_held_resume(client_of, recruiter, case):
    client = client_of(recruiter)
    html = client.get(_detail(case)).content.decode()
    assert "grace@example.com" in html and "ada@example.com" in html and "g.txt" in html
    download = reverse("candidates:identity-conflict-resume", args=[case.public_id])
    assert download in html
    assert b"".join(client.get(download).streaming_content) == b"CV of Grace"


def test_resolving_as_different_people_moves_the_submission_and_tells_the_agency(
    client_of, recruiter, agency_b_user, case
):
    response = client_of(recruiter).post(
        _detail(case), {"decision": "different_people", "note": "Another person"}
    )
    assert response.status_code == 302 and response.url == _detail(case)
    held = Submission.objects.get(pk=case.submission_id)
    assert held.outcome == "new" and held.candidate.full_name == "Grace Hopper"
    html = client_of(recruiter).get(_detail(case)).content.decode()
    assert (
        "Different people" in html and "Another person" in html and ">Resolve</button>" not in html
    )
    agency_page = client_of(agency_b_user).get(
        reverse("portal-candidates:detail", args=[held.public_id])
    )
    assert agency_page.context["candidate"] == held.candidate
    assert "Outcome: New" in agency_page.content.decode()


def test_a_decision_is_required(client_of, recruiter, case):
    response = client_of(recruiter).post(_detail(case), {})
    assert "Choose whether they are the same person." in response.content.decode()


def test_giving_the_phone_away_while_it_is_held_is_refused_at_the_field(client_of, recruiter, case):
    response = client_of(recruiter).post(
        _detail(case), {"decision": "different_people", "give_identifier": "on"}
    )
    assert "still belongs to Ada Lovelace" in response.context["form"].errors["give_identifier"][0]


@pytest.mark.parametrize(
    "name", ["identity-conflicts", "identity-conflict", "identity-conflict-resume"]
)
def test_hiring_managers_get_403_and_agencies_404(
    client_of, case, hiring_manager, agency_b_admin, job, name
):
    job.hiring_team.add(hiring_manager)
    url = reverse(
        f"candidates:{name}", args=[] if name == "identity-conflicts" else [case.public_id]
    )
    assert client_of(hiring_manager).get(url).status_code == 403
    assert client_of(agency_b_admin).get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(client, case):
    assert client.get(_detail(case)).url.startswith(reverse("account_login"))


def test_wrong_methods(client_of, recruiter, case):
    client = client_of(recruiter)
    assert client.post(LIST).status_code == 405
    assert client.put(_detail(case)).status_code == 405


def test_a_disabled_recruiter_sees_no_identity_conflict(recruiter, owner, case):
    assert list(IdentityConflict.objects.visible_to(recruiter)) == [case]
    agency_services.user_disable(actor=owner, user=recruiter)
    recruiter.refresh_from_db()
    assert not IdentityConflict.objects.visible_to(recruiter).exists()
