import pytest
from django.urls import reverse

from recruitment import services


@pytest.mark.parametrize(
    "model",
    [
        "recruitment/user",
        "recruitment/job",
        "recruitment/notification",
        "recruitment/auditevent",
        "agencies/agency",
        "agencies/invitation",
        "agencies/jobassignment",
    ],
)
def test_owner_sees_every_model_list_with_search(client_of, owner, assignment_a, model):
    response = client_of(owner).get(f"/admin/{model}/", {"q": "a"})
    assert response.status_code == 200


def test_non_owners_are_kept_out(client_of, recruiter, agency_a_admin):
    for user in (recruiter, agency_a_admin):
        response = client_of(user).get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_audit_log_is_read_only_in_admin(client_of, owner):
    event = services.audit_record(actor=owner, action="test.done", summary="Did a thing")
    response = client_of(owner).post(
        reverse("admin:recruitment_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
