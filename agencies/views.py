from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import forms, selectors, services
from recruitment import selectors as core_selectors
from recruitment.decorators import agency_only, employer_only
from recruitment.models import Role

JOB_MANAGERS = (Role.OWNER, Role.RECRUITER)
ADMIN_FIELD_NAMES = {
    "email": "admin_email",
    "first_name": "admin_first_name",
    "last_name": "admin_last_name",
}
INVITE_LIMIT_MESSAGE = (
    "You have sent many invitations in a short time. Please wait a while and try again."
)


def _form_errors_from(exc: ValidationError, form, renames: dict | None = None) -> None:
    """Show a service's validation errors at the form's fields (renames maps service names to form names)."""
    for field, errors in exc.message_dict.items():
        field = (renames or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# Employer side -------------------------------------------------------------------------------


@require_GET
@employer_only(*JOB_MANAGERS)
def agency_list(request):
    agencies = selectors.agency_list(user=request.user, q=request.GET.get("q", ""))
    template = "agencies/agency_list.html" + ("#agency-table" if request.htmx else "")
    return render(request, template, {"agencies": agencies, "q": request.GET.get("q", "")})


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def agency_create(request):
    """Create an agency and invite its first admin in one step."""
    form = forms.AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="invitation_send", user=request.user):
            form.add_error(None, INVITE_LIMIT_MESSAGE)
        else:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    agency = services.agency_create(
                        actor=request.user,
                        name=data["name"],
                        country=data["country"],
                        website=data["website"],
                    )
                    services.invitation_create(
                        actor=request.user,
                        email=data["admin_email"],
                        role=Role.AGENCY_ADMIN,
                        agency=agency,
                        first_name=data["admin_first_name"],
                        last_name=data["admin_last_name"],
                    )
            except ValidationError as exc:
                _form_errors_from(exc, form, renames=ADMIN_FIELD_NAMES)
            else:
                messages.success(
                    request, f"{agency} created; an invitation went to {data['admin_email']}."
                )
                return redirect("agencies:agency-detail", public_id=agency.public_id)
    return render(
        request,
        "agencies/agency_form.html",
        {"form": form, "invitation_days": settings.INVITATION_DAYS},
    )


@require_GET
@employer_only(*JOB_MANAGERS)
def agency_detail(request, public_id):
    agency = selectors.agency_get(user=request.user, public_id=public_id)
    context = {
        "agency": agency,
        "assignments": selectors.assignment_list_for_agency(user=request.user, agency=agency),
        "members": selectors.agency_users(user=request.user, agency=agency),
        "invitations": selectors.invitation_list(user=request.user, agency=agency),
    }
    return render(request, "agencies/agency_detail.html", context)


@require_GET
@employer_only()
def job_agencies(request, public_id):
    """The agencies a job was sent to; the job page loads it as a panel."""
    job = core_selectors.job_get(user=request.user, public_id=public_id)
    assignments = selectors.assignment_list_for_job(user=request.user, job=job)
    template = "agencies/job_agencies.html" + ("#job-agencies" if request.htmx else "")
    return render(request, template, {"job": job, "assignments": assignments})


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def job_send(request, public_id):
    job = core_selectors.job_get(user=request.user, public_id=public_id)
    agencies = selectors.agencies_for_sending(user=request.user, job=job)
    form = forms.AssignmentForm(
        request.POST or None,
        agencies=selectors.agency_list(user=request.user).filter(is_active=True),
        initial={"agency": request.GET.get("agency")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.job_assign(actor=request.user, job=job, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_from(exc, form)
        else:
            messages.success(
                request,
                f"{job.title} was sent to {assignment.agency}. Its users have been notified.",
            )
            return redirect("job-detail", public_id=job.public_id)
    return render(
        request, "agencies/job_send.html", {"job": job, "form": form, "agencies": agencies}
    )


@require_POST
@employer_only(*JOB_MANAGERS)
def assignment_withdraw(request, public_id):
    assignment = selectors.assignment_get(user=request.user, public_id=public_id)
    services.assignment_withdraw(actor=request.user, assignment=assignment)
    messages.success(request, f"{assignment.job.title} was withdrawn from {assignment.agency}.")
    return redirect("job-detail", public_id=assignment.job.public_id)


@require_POST
def invitation_revoke(request, public_id):
    invitation = selectors.invitation_get(user=request.user, public_id=public_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation of {invitation.email} was revoked.")
    if request.user.is_agency_user:
        return redirect("portal:team")
    return redirect("agencies:agency-detail", public_id=invitation.agency.public_id)


# Invitation links (no login) -----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    if not ratelimit.consume(request, action="invitation_accept"):
        return render(
            request,
            "agencies/invitation_invalid.html",
            {"reason": "Too many attempts from your network. Please wait a minute and try again."},
            status=429,
        )
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid as exc:
        return render(request, "agencies/invitation_invalid.html", {"reason": str(exc)}, status=410)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = forms.AcceptInvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                token=token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except ValidationError as exc:
            form.add_error("password1", exc.messages)
        except services.InvitationInvalid as exc:
            return render(
                request, "agencies/invitation_invalid.html", {"reason": str(exc)}, status=410
            )
        else:
            login(request, user, backend="agencies.auth.AccountBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return redirect("home")
    return render(
        request, "agencies/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# Agency portal -------------------------------------------------------------------------------


@require_GET
@agency_only()
def portal_home(request):
    q = request.GET.get("q", "")
    page = Paginator(selectors.portal_assignment_list(user=request.user, q=q), 20).get_page(
        request.GET.get("page")
    )
    template = "agencies/portal_jobs.html" + ("#job-list" if request.htmx else "")
    return render(request, template, {"page": page, "q": q})


@require_GET
@agency_only()
def portal_assignment_detail(request, public_id):
    assignment = selectors.assignment_get(user=request.user, public_id=public_id)
    return render(
        request,
        "agencies/portal_assignment_detail.html",
        {"assignment": assignment, "job": assignment.job},
    )


@require_http_methods(["GET", "POST"])
@agency_only(Role.AGENCY_ADMIN)
def portal_team(request):
    agency = selectors.own_agency(user=request.user)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="invitation_send", user=request.user):
            form.add_error(None, INVITE_LIMIT_MESSAGE)
        else:
            try:
                invitation = services.invitation_create(
                    actor=request.user, agency=agency, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors_from(exc, form)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("portal:team")
    context = {
        "agency": agency,
        "form": form,
        "members": selectors.agency_users(user=request.user),
        "invitations": selectors.invitation_list(user=request.user, agency=agency),
    }
    return render(request, "agencies/portal_team.html", context)
