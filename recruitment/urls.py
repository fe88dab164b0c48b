from django.contrib import admin
from django.urls import include, path

from recruitment import views

urlpatterns = [
    path("", include("recruitment.employer_urls")),
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
