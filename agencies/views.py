from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import forms, selectors, services
from recruitment import selectors as core_selectors
from recruitment import services as core_services
from recruitment.decorators import agency_only, employer_only
from recruitment.exports import csv_response
from recruitment.forms import add_service_errors, filters_applied, query_text, valid_filters
from recruitment.models import AGENCY_ROLES, Role
from recruitment.pagination import NoCountPaginator
from recruitment.ratelimits import over_limit

JOB_MANAGERS = (Role.OWNER, Role.RECRUITER)
ADMIN_FIELD_NAMES = {
    "email": "admin_email",
    "first_name": "admin_first_name",
    "last_name": "admin_last_name",
}
INVITE_LIMIT_MESSAGE = (
    "You have sent many invitations in a short time. Please wait a while and try again."
)


# Employer side -------------------------------------------------------------------------------


@require_GET
@employer_only(*JOB_MANAGERS)
def agency_list(request):
    q = query_text(request)
    agencies = selectors.agency_list(user=request.user, q=q)
    template = "agencies/agency_list.html" + ("#agency-table" if request.htmx else "")
    return render(request, template, {"agencies": agencies, "q": q})


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def agency_create(request):
    """Create an agency and invite its first admin in one step."""
    form = forms.AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "invitation_send"):
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
                add_service_errors(form, exc, renames=ADMIN_FIELD_NAMES)
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
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{job.title} was sent to {assignment.agency}. Its users have been notified.",
            )
            return redirect("recruitment:job-detail", public_id=job.public_id)
    context = {
        "job": job,
        "form": form,
        "agencies": agencies,
        "can_receive": any(not agency.already_assigned for agency in agencies),
    }
    return render(request, "agencies/job_send.html", context)


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def assignment_edit(request, public_id):
    """Change the instructions and terms of an active assignment; the agency is told."""
    assignment = selectors.assignment_get(user=request.user, public_id=public_id)
    job = assignment.job
    if not assignment.is_active:
        messages.error(
            request,
            f"{job.title} was withdrawn from {assignment.agency}: "
            "its terms can no longer be changed.",
        )
        return redirect("recruitment:job-detail", public_id=job.public_id)
    form = forms.AssignmentTermsForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                actor=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"The terms for {assignment.agency} were saved and its users have been told."
                if form.has_changed()
                else "Nothing changed.",
            )
            return redirect("recruitment:job-detail", public_id=job.public_id)
    context = {"assignment": assignment, "job": job, "form": form}
    return render(request, "agencies/assignment_edit.html", context)


@require_POST
@employer_only(*JOB_MANAGERS)
def assignment_withdraw(request, public_id):
    assignment = selectors.assignment_get(user=request.user, public_id=public_id)
    services.assignment_withdraw(actor=request.user, assignment=assignment)
    messages.success(request, f"{assignment.job.title} was withdrawn from {assignment.agency}.")
    return redirect("recruitment:job-detail", public_id=assignment.job.public_id)


@require_POST
@employer_only(Role.OWNER)
def agency_disable(request, public_id):
    agency = selectors.agency_get(user=request.user, public_id=public_id)
    services.agency_disable(actor=request.user, agency=agency)
    messages.success(
        request,
        f"{agency} was disabled. Its users still signed in are logged out at their next click.",
    )
    return redirect("agencies:agency-detail", public_id=agency.public_id)


@require_POST
@employer_only(Role.OWNER)
def agency_enable(request, public_id):
    agency = selectors.agency_get(user=request.user, public_id=public_id)
    services.agency_enable(actor=request.user, agency=agency)
    messages.success(request, f"{agency} was enabled again: its active users can sign in.")
    return redirect("agencies:agency-detail", public_id=agency.public_id)


@require_POST
def invitation_revoke(request, public_id):
    invitation = selectors.invitation_get(user=request.user, public_id=public_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation of {invitation.email} was revoked.")
    if request.user.is_agency_user:
        return redirect("portal:team")
    return redirect("agencies:agency-detail", public_id=invitation.agency.public_id)


# User management: Owners in the recruiter app, agency admins in the portal -------------------


@dataclass(frozen=True)
class UserPages:
    """The layout and URL names of one side's user management pages."""

    base: str
    list_url: str
    detail_url: str
    disable_url: str
    enable_url: str


OWNER_PAGES = UserPages(
    "recruiter_base.html",
    "agencies:user-list",
    "agencies:user-detail",
    "agencies:user-disable",
    "agencies:user-enable",
)
ADMIN_PAGES = UserPages(
    "agency_base.html",
    "portal:user-list",
    "portal:user-detail",
    "portal:user-disable",
    "portal:user-enable",
)
AGENCY_ROLE_CHOICES = [(role, label) for role, label in Role.choices if role in AGENCY_ROLES]


@require_GET
@employer_only(Role.OWNER)
def user_list(request):
    form = forms.UserFilterForm(
        request.GET or None,
        roles=Role.choices,
        agencies=selectors.agency_choices(user=request.user),
        country_codes=selectors.user_countries(user=request.user),
    )
    return _user_list(request, form, OWNER_PAGES)


@require_GET
@agency_only(Role.AGENCY_ADMIN)
def portal_user_list(request):
    form = forms.UserFilterForm(request.GET or None, roles=AGENCY_ROLE_CHOICES)
    return _user_list(request, form, ADMIN_PAGES)


def _user_list(request, form, pages: UserPages):
    users = selectors.user_list(user=request.user, filters=valid_filters(form))
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    template = "agencies/user_list.html" + ("#user-table" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "pages": pages})


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def user_detail(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    return _user_detail(request, member, OWNER_PAGES)


@require_http_methods(["GET", "POST"])
@agency_only()
def portal_user_detail(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    _require_agency_admin(request.user)
    return _user_detail(request, member, ADMIN_PAGES)


def _require_agency_admin(user) -> None:
    """After the lookup, so that an agency recruiter gets 404 for anyone but themselves."""
    if user.role != Role.AGENCY_ADMIN:
        raise PermissionDenied


def _user_detail(request, member, pages: UserPages):
    roles = services.grantable_roles(actor=request.user, user=member)
    initial = {"first_name": member.first_name, "last_name": member.last_name, "role": member.role}
    form = forms.UserEditForm(request.POST or None, roles=roles, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=member,
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data.get("role", member.role),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Changes saved.")
            return redirect(pages.detail_url, public_id=member.public_id)
    context = {"member": member, "form": form, "pages": pages, "is_self": member == request.user}
    return render(request, "agencies/user_detail.html", context)


@require_POST
@employer_only(Role.OWNER)
def user_disable(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    return _user_set_active(request, member, OWNER_PAGES, active=False)


@require_POST
@employer_only(Role.OWNER)
def user_enable(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    return _user_set_active(request, member, OWNER_PAGES, active=True)


@require_POST
@agency_only()
def portal_user_disable(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    _require_agency_admin(request.user)
    return _user_set_active(request, member, ADMIN_PAGES, active=False)


@require_POST
@agency_only()
def portal_user_enable(request, public_id):
    member = selectors.user_get(user=request.user, public_id=public_id)
    _require_agency_admin(request.user)
    return _user_set_active(request, member, ADMIN_PAGES, active=True)


def _user_set_active(request, member, pages: UserPages, *, active: bool):
    change = services.user_enable if active else services.user_disable
    try:
        change(actor=request.user, user=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{member} can sign in again."
            if active
            else f"{member} is disabled: they lose access at their next click. "
            "Their records are kept.",
        )
    return redirect(pages.detail_url, public_id=member.public_id)


# Audit log (Owners) --------------------------------------------------------------------------


@require_GET
@employer_only(Role.OWNER)
def audit_log(request):
    form = forms.AuditFilterForm(
        request.GET or None,
        actions=selectors.audit_actions(user=request.user),
        agencies=selectors.agency_choices(user=request.user),
    )
    filters = valid_filters(form)
    events = selectors.audit_event_list(user=request.user, filters=filters)
    if request.GET.get("export") == "csv":
        export = core_services.audit_export(actor=request.user, what="the audit log")
        return _audit_csv(events.filter(pk__lt=export.pk))  # the log as it was, without this export
    page = NoCountPaginator(events, 50).page(request.GET.get("page"))
    template = "agencies/audit_log.html" + ("#audit-table" if request.htmx else "")
    return render(
        request, template, {"form": form, "page": page, "filtered": filters_applied(filters)}
    )


def _audit_csv(events):
    rows = (
        [
            event.created_at.isoformat(timespec="seconds"),
            event.action,
            event.actor_label,
            event.agency_name or "",
            event.summary,
            event.object_type,
            event.object_id,
            event.kept_text,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    header = [
        "When",
        "Action",
        "Actor",
        "Agency",
        "Summary",
        "Object type",
        "Object id",
        "Kept text",
    ]
    return csv_response("audit-log", header, rows)


# Invitation links (no login) -----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    if over_limit(request, "invitation_accept"):
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
            return redirect("recruitment:home")
    return render(
        request, "agencies/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# Agency portal -------------------------------------------------------------------------------


@require_GET
@agency_only()
def portal_home(request):
    q = query_text(request)
    page = Paginator(selectors.portal_assignment_list(user=request.user, q=q), 20).get_page(
        request.GET.get("page")
    )
    template = "agencies/portal_jobs.html" + ("#job-list" if request.htmx else "")
    return render(request, template, {"page": page, "q": q})


@require_GET
@agency_only()
def portal_assignment_detail(request, public_id):
    assignment = selectors.assignment_get(user=request.user, public_id=public_id)
    dashboard = (
        "portal-candidates:pool"
        if request.user.role == Role.AGENCY_ADMIN
        else "portal-candidates:mine"
    )
    context = {
        "assignment": assignment,
        "job": assignment.job,
        "submissions_url": f"{reverse(dashboard)}?job={assignment.job_id}",
    }
    return render(request, "agencies/portal_assignment_detail.html", context)


@require_http_methods(["GET", "POST"])
@agency_only(Role.AGENCY_ADMIN)
def portal_team(request):
    agency = selectors.own_agency(user=request.user)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "invitation_send"):
            form.add_error(None, INVITE_LIMIT_MESSAGE)
        else:
            try:
                invitation = services.invitation_create(
                    actor=request.user, agency=agency, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
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
