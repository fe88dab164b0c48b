"""The agency portal, mounted at /agency/."""

from django.urls import path

from agencies import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("jobs/<uuid:public_id>/", views.portal_assignment_detail, name="assignment-detail"),
    path("team/", views.portal_team, name="team"),
    path("users/", views.portal_user_list, name="user-list"),
    path("users/<uuid:public_id>/", views.portal_user_detail, name="user-detail"),
    path("users/<uuid:public_id>/disable/", views.portal_user_disable, name="user-disable"),
    path("users/<uuid:public_id>/enable/", views.portal_user_enable, name="user-enable"),
]
