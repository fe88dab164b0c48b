"""The Django admin as a whole: every model is there for Owners, and what it may change is a
reviewed list (SPEC: the admin never overrides a rule the app enforces)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from recruitment import services
from recruitment.admin_base import AdminForm
from recruitment.models import AuditEvent, Notification, Role
from tests.factories import AgencyUserFactory, UserFactory

OUR_APPS = ("recruitment", "agencies", "candidates", "messaging")
OUR_MODELS = [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]

# What the admin may change, per model. Reviewed: every writable field of a rule-bearing model
# goes through the service the app uses (the model's admin says which). A model not listed here,
# or a field, action or inline that becomes writable, fails test_admin_changes_only_the_listed.
JOB_FIELDS = {*services.JOB_FIELDS, "hiring_team"}
EDITABLE = {
    "account.EmailAddress": {},
    "recruitment.User": {"change": {"first_name", "last_name", "role", "is_active"}},
    "recruitment.Job": {"change": JOB_FIELDS},
    "recruitment.Notification": {},
    "recruitment.AuditEvent": {},
    "recruitment.PendingTask": {},
    "agencies.Agency": {"change": {"name", "country", "website", "is_active"}},
    "agencies.Invitation": {"actions": {"revoke"}},
    "agencies.JobAssignment": {"actions": {"withdraw"}},
    "agencies.Membership": {},
    "candidates.Candidate": {},
    "candidates.Application": {},
    "candidates.Submission": {},
    "candidates.Resume": {},
    "candidates.CandidateNote": {},
    "candidates.IdentityClaim": {},
    "candidates.CandidateMerge": {},
    "candidates.IdentityConflict": {},
    "candidates.DuplicateRules": {
        "change": {
            "window_days",
            "scope",
            "block_when_hired",
            "block_when_in_process",
            "release_on_rejection",
        }
    },
    "messaging.Thread": {},
    "messaging.Message": {},
    "messaging.Attachment": {},
    "messaging.ReadMarker": {},
    "messaging.TextingPlan": {},
    "messaging.Seat": {"add": {"user"}, "delete": True, "actions": {"delete_selected"}},
    "messaging.SenderNumber": {"add": {"number"}, "change": {"is_active"}},
    "messaging.TextContact": {},
    "messaging.Conversation": {},
    "messaging.ConversationMessage": {},
    "messaging.ConversationReadMarker": {},
}


def _writable(model_admin, request) -> dict:
    """What the admin leaves writable: form fields on add and change, deletion, actions, the
    changelist's editable columns and every inline's fields."""
    obj = model_admin.model()
    found = {
        "add": model_admin.has_add_permission(request)
        and set(model_admin.get_form(request, None).base_fields),
        "change": set(model_admin.get_form(request, obj, change=True).base_fields),
        "delete": model_admin.has_delete_permission(request, obj),
        "actions": set(model_admin.get_actions(request)),
        "list_editable": set(model_admin.list_editable),
    }
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        writes = inline.has_add_permission(request, obj) or inline.has_change_permission(
            request, obj
        )
        fields = set(formset.form.base_fields) - {"id", "DELETE", formset.fk.name}
        if (writes and fields) or formset.can_delete:
            found[f"inline {inline.model._meta.label}"] = {
                "fields": fields if writes else set(),
                "delete": formset.can_delete,
            }
    return {key: value for key, value in found.items() if value}


def test_admin_changes_only_the_listed(owner):
    request = RequestFactory().get("/admin/")
    request.user = owner
    registered = {
        model._meta.label: model_admin for model, model_admin in admin.site._registry.items()
    }
    assert sorted(registered) == sorted(EDITABLE)
    for label, model_admin in registered.items():
        assert (label, _writable(model_admin, request)) == (label, EDITABLE[label])
        if EDITABLE[label].keys() & {"add", "change"}:
            assert issubclass(model_admin.form, AdminForm), label


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
    client = client_of(owner)
    response = client.post(
        reverse("admin:recruitment_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    page = client.get(reverse("admin:recruitment_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and "Did a thing" in page.content.decode()


# Jobs: changed through job_update, so the hiring team keeps its rules ---------------------------


def _job_form(job, **changes):
    fields = {name: getattr(job, name) for name in services.JOB_FIELDS}
    fields |= {
        "country": str(job.country),
        "coordinator": job.coordinator_id,
        "hiring_team": [user.pk for user in job.hiring_team.all()],
    }
    return fields | changes


def test_job_is_changed_through_the_service(client_of, owner, job, recruiter):
    manager = UserFactory(role=Role.HIRING_MANAGER)
    response = client_of(owner).post(
        reverse("admin:recruitment_job_change", args=[job.pk]),
        _job_form(job, title="Staff Engineer", hiring_team=[manager.pk]),
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Staff Engineer"
    assert set(job.hiring_team.all()) == {manager, recruiter}  # the coordinator always stays
    assert AuditEvent.objects.get(action="job.updated").actor == owner
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.data["fields"]["title"] == {
        "from": "Senior Backend Engineer",
        "to": "Staff Engineer",
    }


def test_agency_users_cannot_join_a_hiring_team(client_of, owner, job, agency_a_user):
    response = client_of(owner).post(
        reverse("admin:recruitment_job_change", args=[job.pk]),
        _job_form(job, hiring_team=[agency_a_user.pk]),
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert agency_a_user not in job.hiring_team.all()


# Other records -------------------------------------------------------------------------------


def test_notifications_are_read_only(client_of, owner, recruiter):
    services.notify(users=[recruiter], text="Ada answered")
    notification = Notification.objects.get()
    response = client_of(owner).post(
        reverse("admin:recruitment_notification_change", args=[notification.pk]),
        {"user": owner.pk, "text": "Forged", "created_at_0": "2026-01-05", "created_at_1": "10:00"},
    )
    assert response.status_code == 403
    assert Notification.objects.get().text == "Ada answered"


def test_login_email_addresses_are_read_only(client_of, owner, agency_a):
    user = AgencyUserFactory(agency=agency_a, email="grace@a.example")
    address = user.emailaddress_set.get()
    response = client_of(owner).post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"user": user.pk, "email": "thief@example.com", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    address.refresh_from_db()
    assert address.email == "grace@a.example"


def test_job_admin_page_is_not_a_500_for_a_job_without_changes(client_of, owner, job):
    response = client_of(owner).post(
        reverse("admin:recruitment_job_change", args=[job.pk]), _job_form(job)
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="admin.changed").exists()
