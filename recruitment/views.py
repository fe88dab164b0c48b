from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from recruitment import forms, health, selectors, services
from recruitment.decorators import employer_only
from recruitment.models import Role

JOB_MANAGERS = (Role.OWNER, Role.RECRUITER)


@require_GET
def home(request):
    return redirect("portal:home" if request.user.is_agency_user else "recruitment:job-list")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = health.check_all()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )


@require_GET
def email_addresses(request):
    """Replaces allauth's email management: an address is the identity an invitation vouched for,
    so people cannot change it themselves (Owners can, in the Django admin)."""
    raise Http404("Email addresses are managed by your administrator.")


@require_GET
@employer_only()
def job_list(request):
    filter_form = forms.JobFilterForm(request.GET)
    filters = forms.valid_filters(filter_form)
    page = Paginator(selectors.job_list(user=request.user, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    template = "recruitment/job_list.html" + ("#job-table" if request.htmx else "")
    context = {"page": page, "filter_form": filter_form, "filtered": forms.filters_applied(filters)}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def job_create(request):
    team = selectors.employer_users(user=request.user)
    form = forms.JobForm(
        request.POST or None, team_choices=team, initial={"coordinator": request.user}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.job_create(actor=request.user, hiring_team=data.pop("hiring_team"), **data)
        messages.success(request, f"Job {job.ref} created.")
        return redirect("recruitment:job-detail", public_id=job.public_id)
    return render(request, "recruitment/job_form.html", {"form": form})


@require_GET
@employer_only()
def job_detail(request, public_id):
    job = selectors.job_get(user=request.user, public_id=public_id)
    return render(request, "recruitment/job_detail.html", {"job": job})


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def job_edit(request, public_id):
    job = selectors.job_get(user=request.user, public_id=public_id)
    team = selectors.employer_users(user=request.user)
    form = forms.JobForm(request.POST or None, instance=job, team_choices=team)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.job_update(
            actor=request.user, job=job, hiring_team=data.pop("hiring_team"), **data
        )
        messages.success(request, "Job saved.")
        return redirect("recruitment:job-detail", public_id=job.public_id)
    return render(request, "recruitment/job_form.html", {"form": form, "job": job})


@require_GET
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "recruitment/notification_list.html", {"page": page})


@require_GET
def notification_bell(request):
    """The navigation's bell, polled by every page of both portals: 204 while the page shows the
    right count. Rendered without the request's context processors, so that it costs the count's
    one query."""
    unread = selectors.unread_notification_count(user=request.user)
    if request.GET.get("shown") == str(unread):
        return HttpResponse(status=204)
    return HttpResponse(
        render_to_string("_notification_bell.html", {"unread_notifications": unread})
    )


@require_POST
def notification_read(request, public_id):
    notification = selectors.notification_get(user=request.user, public_id=public_id)
    services.notifications_mark_read(user=request.user, ids=[notification.public_id])
    target = notification.url or "recruitment:notification-list"
    return HttpResponseClientRedirect(notification.url) if request.htmx else redirect(target)


@require_POST
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("recruitment:notification-list")
