from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency-detail"),
    path("agencies/<uuid:public_id>/disable/", views.agency_disable, name="agency-disable"),
    path("agencies/<uuid:public_id>/enable/", views.agency_enable, name="agency-enable"),
    path("users/", views.user_list, name="user-list"),
    path("users/<uuid:public_id>/", views.user_detail, name="user-detail"),
    path("users/<uuid:public_id>/disable/", views.user_disable, name="user-disable"),
    path("users/<uuid:public_id>/enable/", views.user_enable, name="user-enable"),
    path("audit/", views.audit_log, name="audit-log"),
    path("jobs/<uuid:public_id>/agencies/", views.job_agencies, name="job-agencies"),
    path("jobs/<uuid:public_id>/send/", views.job_send, name="job-send"),
    path("assignments/<uuid:public_id>/edit/", views.assignment_edit, name="assignment-edit"),
    path(
        "assignments/<uuid:public_id>/withdraw/",
        views.assignment_withdraw,
        name="assignment-withdraw",
    ),
    path("invitations/<uuid:public_id>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
