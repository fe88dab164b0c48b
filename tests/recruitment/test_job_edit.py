from django.urls import reverse

from recruitment.models import AuditEvent


def test_edit_saves_and_audits_changed_fields(client_of, recruiter, job):
    data = {
        "title": "Principal Engineer",
        "status": "on_hold",
        "location": job.location,
        "country": "DE",
        "category": job.category,
        "function": job.function,
        "experience_level": job.experience_level,
        "employment_type": job.employment_type,
        "coordinator": recruiter.pk,
        "description": job.description,
    }
    response = client_of(recruiter).post(
        reverse("recruitment:job-edit", args=[job.public_id]), data
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.title, job.status) == ("Principal Engineer", "on_hold")
    event = AuditEvent.objects.get(action="job.updated")
    assert "title" in event.summary and "status" in event.summary


def test_edit_form_shows_current_values(client_of, recruiter, job):
    html = (
        client_of(recruiter)
        .get(reverse("recruitment:job-edit", args=[job.public_id]))
        .content.decode()
    )
    assert f'value="{job.title}"' in html


def test_invalid_edit_changes_nothing(client_of, recruiter, job):
    response = client_of(recruiter).post(
        reverse("recruitment:job-edit", args=[job.public_id]), {"title": ""}
    )
    assert response.status_code == 200 and "title" in response.context["form"].errors
    job.refresh_from_db()
    assert job.title == "Senior Backend Engineer"


def test_hiring_manager_cannot_edit(client_of, hiring_manager, recruiter):
    from tests.factories import JobFactory

    job = JobFactory(coordinator=recruiter, hiring_team=[hiring_manager])
    client = client_of(hiring_manager)
    assert client.get(reverse("recruitment:job-detail", args=[job.public_id])).status_code == 200
    assert client.get(reverse("recruitment:job-edit", args=[job.public_id])).status_code == 403
