from django.contrib import admin
from django.urls import include, path

from recruitment import views

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
    path("", include("agencies.urls")),
    path("", include("candidates.urls")),
    path("", include("messaging.urls")),
    path("agency/", include("agencies.portal_urls")),
    path("agency/", include("candidates.portal_urls")),
    path("accounts/email/", views.email_addresses, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "recruitment.errors.bad_request"
handler403 = "recruitment.errors.permission_denied"
handler404 = "recruitment.errors.page_not_found"
handler429 = "recruitment.errors.too_many_requests"  # allauth's rate limits look for it here
handler500 = "recruitment.errors.server_error"
