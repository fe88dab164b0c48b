"""The Django admin changes duplicate rules only through the service; stages, submissions and
claims are the app's to change."""

from django.urls import reverse

from candidates.models import DuplicateRules, Stage
from recruitment.models import AuditEvent
from tests.factories import submit


def _rules_form(rules, **changes):
    fields = {"window_days": rules.window_days, "scope": rules.scope, "block_when_hired": "on"}
    return {name: value for name, value in (fields | changes).items() if value is not None}


def test_duplicate_rules_change_through_the_service(client_of, owner):
    rules = DuplicateRules.current()
    response = client_of(owner).post(
        reverse("admin:candidates_duplicaterules_change", args=[rules.pk]),
        _rules_form(rules, window_days=30, release_on_rejection="on"),
    )
    assert response.status_code == 302
    rules.refresh_from_db()
    assert (rules.window_days, rules.release_on_rejection) == (30, True)
    event = AuditEvent.objects.get(action="duplicate_rules.changed")
    assert event.actor == owner and event.data == {
        "window_days": "30",
        "release_on_rejection": "True",
    }
    admin_event = AuditEvent.objects.get(action="admin.changed")
    assert admin_event.data["fields"]["window_days"] == {"from": 183, "to": 30}


def test_duplicate_rules_refuse_a_bad_window_at_the_field(client_of, owner):
    rules = DuplicateRules.current()
    response = client_of(owner).post(
        reverse("admin:candidates_duplicaterules_change", args=[rules.pk]),
        _rules_form(rules, window_days=-3),
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert DuplicateRules.current().window_days == 183


def test_stages_are_not_changed_in_the_admin(client_of, owner, agency_a_user, assignment_a):
    application = submit(agency_a_user, assignment_a).application
    candidate = application.candidate
    client = client_of(owner)
    response = client.post(
        reverse("admin:candidates_application_change", args=[application.pk]),
        {
            "candidate": candidate.pk,
            "job": application.job_id,
            "stage": Stage.HIRED,
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
            "stage_changed_at_0": "2026-01-05",
            "stage_changed_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.stage == Stage.LEAD
    page = client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
    assert page.status_code == 200 and 'name="applications-0-stage"' not in page.content.decode()
