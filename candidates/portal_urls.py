"""The agency portal's candidate pages, mounted at /agency/."""

from django.urls import path

from candidates import views

app_name = "portal-candidates"
urlpatterns = [
    path("submit/", views.submission_create, name="create"),
    path("submit/prefill/", views.submission_prefill, name="prefill"),
    path("submissions/<uuid:public_id>/", views.submission_detail, name="detail"),
    path("candidates/", views.my_candidates, name="mine"),
    path("pool/", views.agency_pool, name="pool"),
    path("analytics/", views.portal_analytics, name="analytics"),
]
