"""The employer's own pages of the core app: home, jobs, notifications and the health check."""

from django.urls import path

from recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/new/", views.job_create, name="job-create"),
    path("jobs/<uuid:public_id>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:public_id>/edit/", views.job_edit, name="job-edit"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/unread/", views.notification_bell, name="notifications-unread-badge"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<uuid:public_id>/read/", views.notification_read, name="notification-read"),
]
