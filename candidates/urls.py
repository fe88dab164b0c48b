from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("candidates/<uuid:public_id>/", views.candidate_detail, name="candidate-detail"),
    path("candidates/<uuid:public_id>/notes/", views.note_add, name="note-add"),
    path("candidates/<uuid:public_id>/similar/", views.candidate_similar, name="candidate-similar"),
    path("candidates/<uuid:public_id>/merge/", views.candidate_merge, name="candidate-merge"),
    path("candidates/<uuid:public_id>/contact/", views.candidate_contact, name="candidate-contact"),
    path("people/identity/", views.identity_conflicts, name="identity-conflicts"),
    path(
        "people/identity/<uuid:public_id>/",
        views.identity_conflict_detail,
        name="identity-conflict",
    ),
    path(
        "people/identity/<uuid:public_id>/resume/",
        views.identity_conflict_resume,
        name="identity-conflict-resume",
    ),
    path("applications/stage/", views.applications_bulk_stage, name="applications-bulk-stage"),
    path("applications/<uuid:public_id>/stage/", views.application_stage, name="application-stage"),
    path("jobs/<uuid:public_id>/people/", views.job_people, name="job-people"),
    path("settings/duplicates/", views.duplicate_rules, name="duplicate-rules"),
    path("analytics/", views.analytics_agencies, name="analytics"),
    path("analytics/jobs/", views.analytics_jobs, name="analytics-jobs"),
    path("resumes/<uuid:public_id>/download/", views.resume_download, name="resume-download"),
    path("resumes/<uuid:public_id>/status/", views.resume_status, name="resume-status"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
