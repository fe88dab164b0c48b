from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency-detail"),
    path("jobs/<uuid:public_id>/agencies/", views.job_agencies, name="job-agencies"),
    path("jobs/<uuid:public_id>/send/", views.job_send, name="job-send"),
    path(
        "assignments/<uuid:public_id>/withdraw/",
        views.assignment_withdraw,
        name="assignment-withdraw",
    ),
    path("invitations/<uuid:public_id>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
