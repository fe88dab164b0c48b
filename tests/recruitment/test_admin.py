import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from recruitment import services

OUR_APPS = ("recruitment", "agencies", "candidates", "messaging")
OUR_MODELS = [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def test_every_model_is_in_the_admin():
    assert [m._meta.label for m in OUR_MODELS if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_owner_sees_every_model_list_with_search(client_of, owner, assignment_a, model):
    opts = model._meta
    response = client_of(owner).get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "a"}
    )
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
