"""The agency portal, mounted at /agency/."""

from django.urls import path

from agencies import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("jobs/<uuid:public_id>/", views.portal_assignment_detail, name="assignment-detail"),
    path("team/", views.portal_team, name="team"),
]
