import pytest
from django.urls import reverse

from recruitment.models import AuditEvent, Job

VALID = {
    "title": "Staff Engineer",
    "status": "open",
    "location": "Lisbon",
    "country": "PT",
    "category": "professionals",
    "function": "engineering",
    "experience_level": "mid_senior",
    "employment_type": "full_time",
    "description": "Build things.",
}


@pytest.fixture
def url():
    return reverse("recruitment:job-create")


def test_creates_job_with_ref_team_and_audit(client_of, recruiter, hiring_manager, url):
    response = client_of(recruiter).post(
        url, {**VALID, "coordinator": recruiter.pk, "hiring_team": [hiring_manager.pk]}
    )
    job = Job.objects.get(title="Staff Engineer")
    assert response.status_code == 302 and response.url == reverse(
        "recruitment:job-detail", args=[job.public_id]
    )
    assert job.ref == f"REF-{job.pk:05d}"
    assert set(job.hiring_team.all()) == {recruiter, hiring_manager}
    assert AuditEvent.objects.filter(
        action="job.created", object_id=str(job.public_id), actor=recruiter
    ).exists()


def test_missing_fields_keep_what_was_typed_and_mark_the_fields(client_of, recruiter, url):
    typed = {
        "title": "Staff Engineer",
        "location": "Lisbon",
        "description": "Build things, carefully.",
    }
    response = client_of(recruiter).post(url, typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"country", "category", "function", "coordinator"} <= form.errors.keys()
    assert "title" not in form.errors
    html = response.content.decode()
    assert (
        'value="Staff Engineer"' in html
        and 'value="Lisbon"' in html
        and "Build things, carefully." in html
    )
    assert html.count('class="field has-error"') == len(form.errors)
    assert not Job.objects.exists()


def test_hiring_manager_may_not_create(client_of, hiring_manager, recruiter, url):
    assert client_of(hiring_manager).get(url).status_code == 403
    assert client_of(recruiter).get(url).status_code == 200


def test_agency_user_gets_404(client_of, agency_a_admin, recruiter, url):
    assert client_of(agency_a_admin).get(url).status_code == 404
    assert client_of(recruiter).get(url).status_code == 200


def test_anonymous_goes_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_rejects_put(client_of, recruiter, url):
    assert client_of(recruiter).put(url).status_code == 405


def test_the_empty_choices_ask_for_a_choice(client_of, recruiter, url):
    html = client_of(recruiter).get(url).content.decode()
    assert "---------" not in html
    for prompt in (
        "Choose a country…",
        "Choose a category…",
        "Choose a function…",
        "Choose a level…",
        "Choose a type…",
    ):
        assert f'<option value="" selected>{prompt}</option>' in html, prompt
