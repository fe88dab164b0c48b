import csv
from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import selectors as agency_selectors
from candidates import analytics, charts, duplicates, forms, kept_resumes, selectors, services
from candidates.parsing import ParseError
from recruitment import selectors as core_selectors
from recruitment.decorators import agency_only, employer_only
from recruitment.downloads import stored_file_response
from recruitment.exports import csv_response, csv_safe
from recruitment.forms import (
    add_service_errors,
    error_text,
    filters_applied,
    query_uuid,
    valid_filters,
)
from recruitment.models import Role
from recruitment.pagination import NoCountPaginator
from recruitment.ratelimits import over_limit
from recruitment.redirects import safe_next

JOB_MANAGERS = (Role.OWNER, Role.RECRUITER)
SERVICE_FIELD_NAMES = {"job": "assignment"}


# Agency portal -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@agency_only()
def submission_create(request):
    agency = agency_selectors.own_agency(user=request.user)
    assignments = selectors.open_assignments(user=request.user)
    initial = {"assignment": assignments.filter(public_id=query_uuid(request, "job")).first()}
    form = forms.SubmissionForm(
        request.POST or None,
        request.FILES or None,
        assignments=assignments,
        agency=agency,
        user=request.user,
        initial=initial,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = duplicates.submission_create(
                    actor=request.user,
                    assignment=data["assignment"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    note=data["note"],
                    resume=data["resume"] or None,
                    text_consent=data["text_consent"],
                    confirmed_identity=data["confirm_identity"],
                )
            except duplicates.IdentityContradiction as exc:
                add_service_errors(form, exc)
                form.ask_to_confirm(exc.confirmation)
            except ValidationError as exc:
                add_service_errors(form, exc, renames=SERVICE_FIELD_NAMES)
            else:
                kept_resumes.discard(data.get("resume"))
                return redirect("portal-candidates:detail", public_id=submission.public_id)
        form.keep_resume()
    return render(request, "candidates/submission_form.html", {"form": form, "agency": agency})


@require_POST
@agency_only()
def submission_prefill(request):
    """The name, email and phone read from a resume chosen on the submission form, as JSON, for
    static/js/app.js to fill the fields still empty; nothing is kept."""
    if over_limit(request, "resume_prefill"):
        return JsonResponse(
            {"error": "Too many resumes read in the last hour; please fill the fields in."},
            status=429,
        )
    form = forms.ResumePrefillForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["resume"])}, status=400)
    agency = agency_selectors.own_agency(user=request.user)
    try:
        fields = services.resume_prefill(agency=agency, upload=form.cleaned_data["resume"])
    except ParseError as exc:
        return JsonResponse({"error": exc.reason}, status=422)
    return JsonResponse({"fields": fields})


@require_GET
@agency_only()
def submission_detail(request, public_id):
    submission = selectors.submission_get(user=request.user, public_id=public_id)
    candidate = selectors.own_candidate_of(user=request.user, submission=submission)
    resumes = (
        selectors.candidate_resumes(user=request.user, candidate=candidate) if candidate else []
    )
    context = {"submission": submission, "candidate": candidate, "resumes": resumes}
    return render(request, "candidates/submission_detail.html", context)


METRICS_DEFAULT_DAYS = 30


def _metrics_period(filters: dict) -> dict:
    """The chosen period, or the last 30 days: an agency's whole history is a lot to count."""
    if filters.get("period_from") or filters.get("period_to"):
        return {"period_from": filters.get("period_from"), "period_to": filters.get("period_to")}
    return {
        "period_from": timezone.localdate() - timedelta(days=METRICS_DEFAULT_DAYS - 1),
        "period_to": None,
    }


def _dashboard(request, *, pool: bool):
    form = forms.DashboardFilterForm(
        request.GET or None, jobs=partial(selectors.dashboard_job_choices, user=request.user)
    )
    filters = valid_filters(form)
    rows = selectors.dashboard_submissions(user=request.user, pool=pool, filters=filters)
    if request.GET.get("export") == "csv":
        return _submissions_csv(request, rows, pool=pool)
    page = NoCountPaginator(rows, 25).page(request.GET.get("page"))
    metrics_period = _metrics_period(filters)
    context = {
        "form": form,
        "page": page,
        "pool": pool,
        "metrics_period": metrics_period,
        "metrics_filtered": any(filters.get(name) for name in ("q", "status", "job")),
        "filtered": filters_applied(filters),
        "metrics": selectors.dashboard_metrics(
            user=request.user, pool=pool, filters={**filters, **metrics_period}
        ),
    }
    template = "candidates/dashboard.html" + ("#dashboard-results" if request.htmx else "")
    return render(request, template, context)


@require_GET
@agency_only()
def my_candidates(request):
    return _dashboard(request, pool=False)


@require_GET
@agency_only(Role.AGENCY_ADMIN)
def agency_pool(request):
    return _dashboard(request, pool=True)


def _submissions_csv(request, rows, *, pool: bool) -> HttpResponse:
    name = "agency-pool" if pool else "my-candidates"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "Submitted at",
            "First name",
            "Last name",
            "Email",
            "Phone",
            "Job",
            "REF",
            "Outcome",
            "Status",
            "Submitted by",
        ]
    )
    for row in rows.iterator(chunk_size=2000):
        status = (
            row.application.agency_status
            if row.application_id and row.outcome in ("new", "previously_submitted")
            else ""
        )
        writer.writerow(
            [
                row.created_at.isoformat(timespec="seconds"),
                *map(csv_safe, (row.first_name, row.last_name, row.email)),
                row.phone,
                csv_safe(row.job.title),
                row.job.ref,
                row.get_outcome_display(),
                status,
                row.submitted_by.email,
            ]
        )
    services.audit_export(actor=request.user, what=name)
    return response


# Recruiter app -----------------------------------------------------------------------------


@require_GET
@employer_only()
def people(request):
    form = forms.PeopleSearchForm(
        request.GET or None,
        jobs=partial(selectors.search_job_choices, user=request.user),
        agencies=partial(selectors.search_agency_choices, user=request.user),
    )
    filters = valid_filters(form)
    page = NoCountPaginator(selectors.people_search(user=request.user, filters=filters), 25).page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "stage_form": forms.StageForm(),
        "filtered": filters_applied(filters),
        "open_identity_conflicts": partial(
            selectors.open_identity_conflict_count, user=request.user
        ),
    }
    template = "candidates/people.html" + ("#people-results" if request.htmx else "")
    return render(request, template, context)


@require_GET
@employer_only()
def candidate_detail(request, public_id):
    try:
        candidate = selectors.candidate_get(user=request.user, public_id=public_id)
    except Http404:
        successor = selectors.candidate_successor(user=request.user, public_id=public_id)
        if successor is None:
            raise
        messages.info(request, "This profile was merged; you are now on the merged profile.")
        return redirect("candidates:candidate-detail", public_id=successor.public_id)
    return _candidate_page(request, candidate)


def _candidate_page(request, candidate, *, note_form=None, status=200):
    context = {
        "candidate": candidate,
        "identity_conflicts": selectors.candidate_identity_conflicts(
            user=request.user, candidate=candidate
        ),
        "applications": selectors.candidate_applications(user=request.user, candidate=candidate),
        "submissions": selectors.candidate_submissions(user=request.user, candidate=candidate),
        "resumes": selectors.candidate_resumes(user=request.user, candidate=candidate),
        "notes": selectors.candidate_notes(user=request.user, candidate=candidate),
        "note_form": note_form or forms.NoteForm(),
        "stage_form": forms.StageForm(),
    }
    return render(request, "candidates/candidate_detail.html", context, status=status)


@require_GET
@employer_only(*JOB_MANAGERS)
def candidate_similar(request, public_id):
    """The profile's "Possible duplicates" panel, loaded after the page: a trigram search over every
    candidate's name costs more than the rest of the page for a common name."""
    candidate = selectors.candidate_get(user=request.user, public_id=public_id)
    similar = selectors.similar_candidates(user=request.user, candidate=candidate)
    return render(request, "candidates/_similar.html", {"candidate": candidate, "similar": similar})


@require_POST
@employer_only(*JOB_MANAGERS)
def application_stage(request, public_id):
    application = selectors.application_get(user=request.user, public_id=public_id)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        services.application_set_stage(
            actor=request.user, application=application, **form.cleaned_data
        )
        messages.success(
            request,
            f"{application.candidate} is now {application.get_stage_display()} "
            f"for {application.job.title}.",
        )
    else:
        messages.error(request, error_text(form))
    return redirect("candidates:candidate-detail", public_id=application.candidate.public_id)


@require_POST
@employer_only(*JOB_MANAGERS)
def applications_bulk_stage(request):
    form = forms.BulkStageForm(
        request.POST, applications=selectors.applications_for_bulk(user=request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        changed = services.applications_set_stage(
            actor=request.user,
            applications=data["applications"],
            stage=data["stage"],
            reason=data["reason"],
        )
        stage = dict(form.fields["stage"].choices)[data["stage"]]
        messages.success(
            request,
            f"Moved {changed} application{'s' if changed != 1 else ''} to {stage}.",
        )
    else:
        messages.error(request, error_text(form))
    return redirect(safe_next(request, "candidates:people"))


@require_POST
@employer_only()
def note_add(request, public_id):
    candidate = selectors.candidate_get(user=request.user, public_id=public_id)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():  # the page again, with the error at the note and its text kept
        form.fields["body"].widget.attrs["autofocus"] = True  # which scrolls the note into view
        return _candidate_page(request, candidate, note_form=form, status=422)
    services.note_add(actor=request.user, candidate=candidate, body=form.cleaned_data["body"])
    messages.success(request, "Internal note added.")
    return redirect("candidates:candidate-detail", public_id=candidate.public_id)


@require_POST
@employer_only(*JOB_MANAGERS)
def candidate_merge(request, public_id):
    into = selectors.candidate_get(user=request.user, public_id=public_id)
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the profile to merge into this one.")
        return redirect("candidates:candidate-detail", public_id=into.public_id)
    merged = selectors.candidate_get(user=request.user, public_id=form.cleaned_data["merged"])
    try:
        services.candidate_merge(actor=request.user, into=into, merged=merged)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Merged {merged} into this profile; every application, note and file was kept.",
        )
    return redirect("candidates:candidate-detail", public_id=into.public_id)


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def candidate_contact(request, public_id):
    """Edit contact info: the email and phone that identify the candidate and reach them."""
    candidate = selectors.candidate_get(user=request.user, public_id=public_id)
    form = forms.ContactForm(
        request.POST or None,
        region=selectors.candidate_region(user=request.user, candidate=candidate),
        initial={"email": candidate.email, "phone": candidate.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            duplicates.candidate_update_contact(
                actor=request.user, candidate=candidate, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the contact info of {candidate}.")
            return redirect("candidates:candidate-detail", public_id=candidate.public_id)
    return render(
        request, "candidates/candidate_contact.html", {"candidate": candidate, "form": form}
    )


@require_GET
@employer_only(*JOB_MANAGERS)
def identity_conflicts(request):
    """Identity questions: submissions confirmed with a known person's email or phone under
    another name, for a recruiter to decide."""
    resolved = request.GET.get("status") == "resolved"
    cases = selectors.identity_conflicts(user=request.user, resolved=resolved)
    page = NoCountPaginator(cases, 25).page(request.GET.get("page"))
    context = {"page": page, "resolved": resolved}
    return render(request, "candidates/identity_conflict_list.html", context)


@require_http_methods(["GET", "POST"])
@employer_only(*JOB_MANAGERS)
def identity_conflict_detail(request, public_id):
    conflict = selectors.identity_conflict_get(user=request.user, public_id=public_id)
    form = forms.IdentityResolveForm(
        request.POST if request.method == "POST" else None, conflict=conflict
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            duplicates.identity_conflict_resolve(
                actor=request.user,
                conflict=conflict,
                same_person=data["decision"] == "same_person",
                give_identifier=data["give_identifier"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Resolved. The agency sees the outcome on its submission.")
            return redirect("candidates:identity-conflict", public_id=conflict.public_id)
    return render(
        request, "candidates/identity_conflict_detail.html", {"conflict": conflict, "form": form}
    )


@require_GET
@employer_only(*JOB_MANAGERS)
def identity_conflict_resume(request, public_id):
    """The resume held with the case until it is resolved."""
    conflict = selectors.identity_conflict_get(user=request.user, public_id=public_id)
    if not conflict.resume:
        raise Http404("No resume is held with this case.")
    return stored_file_response(conflict.resume, conflict.resume_name)


@require_GET
@employer_only()
def job_people(request, public_id):
    """The job page's candidates panel."""
    job = core_selectors.job_get(user=request.user, public_id=public_id)
    context = {
        "job": job,
        "applications": selectors.job_applications(user=request.user, job=job)[:50],
        "stage_counts": selectors.job_stage_counts(user=request.user, job=job),
    }
    template = "candidates/job_people.html" + ("#job-people" if request.htmx else "")
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def duplicate_rules(request):
    rules = selectors.duplicate_rules(user=request.user)
    form = forms.DuplicateRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        duplicates.duplicate_rules_update(
            actor=request.user, rules=rules, changes=form.cleaned_data
        )
        messages.success(request, "Duplicate rules saved. They apply to submissions from now on.")
        return redirect("candidates:duplicate-rules")
    return render(request, "candidates/duplicate_rules.html", {"form": form})


# Sourcing analytics ------------------------------------------------------------------------


@require_GET
@employer_only(*JOB_MANAGERS)
def analytics_agencies(request):
    """Agency scorecards: every agency's figures for the period, ranked."""
    form = _analytics_form(request)
    period = form.period()
    table = analytics.by_agency(user=request.user, period=period)
    if request.GET.get("export") == "csv":
        return _analytics_csv(request, "sourcing by agency", "Agency", table, period)
    return _analytics_page(request, "candidates/analytics_agencies.html", form, period, table)


@require_GET
@employer_only(*JOB_MANAGERS)
def analytics_jobs(request):
    form = _analytics_form(request, agencies=selectors.agency_names(user=request.user))
    period = form.period()
    agency_id, agency_name = form.chosen_agency() or (None, "")
    table = analytics.by_job(user=request.user, period=period, agency_public_id=agency_id)
    if request.GET.get("export") == "csv":
        what = "sourcing by job" + (f" of {agency_name}" if agency_name else "")
        return _analytics_csv(request, what, "Job", table, period)
    return _analytics_page(
        request, "candidates/analytics_jobs.html", form, period, table, per_page=25
    )


@require_GET
@agency_only(Role.AGENCY_ADMIN)
def portal_analytics(request):
    """The agency's own funnel, job by job; the scope never lets another agency's numbers in."""
    form = _analytics_form(request)
    period = form.period()
    table = analytics.by_job(user=request.user, period=period)
    if request.GET.get("export") == "csv":
        return _analytics_csv(request, "our sourcing by job", "Job", table, period)
    return _analytics_page(
        request, "candidates/portal_analytics.html", form, period, table, per_page=25
    )


def _analytics_form(request, **kwargs) -> forms.AnalyticsForm:
    """Bound to the query string over the default period, so that the date fields always show
    the period the page shows."""
    default = analytics.Period.last_days()
    data = {"period_from": default.first_day, "period_to": default.last_day, **request.GET.dict()}
    return forms.AnalyticsForm(data, **kwargs)


def _analytics_page(request, template, form, period, table, per_page=None):
    """The charts and totals cover every line; a long table is shown a page at a time."""
    total = table.total
    page = Paginator(table.lines, per_page or max(len(table.lines), 1)).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "period": period,
        "as_of": table.as_of,
        "refresh_minutes": analytics.CACHE_SECONDS // 60,
        "page": page,
        "total": total,
        "headers": analytics.HEADERS,
        "funnel": charts.funnel_bars(total),
        "outcomes": charts.outcome_bars(table.lines),
        "outcome_series": charts.OUTCOMES,
        "presets": [(days, analytics.Period.last_days(days)) for days in (30, 90, 365)],
    }
    return render(request, template + ("#analytics" if request.htmx else ""), context)


def _analytics_csv(request, what, first_header, table, period):
    dates = f"{period.first_day:%Y-%m-%d} to {period.last_day:%Y-%m-%d}"
    services.audit_export(actor=request.user, what=f"{what} for {dates}")
    with_ref = first_header == "Job"
    rows = (
        [line.label, *([line.ref] if with_ref else []), *line.cells]
        for line in [*table.lines, table.total]
    )
    header = [first_header, *(["REF"] if with_ref else []), *analytics.HEADERS]
    return csv_response(slugify(what), header, rows)


# Both sides --------------------------------------------------------------------------------


@require_GET
def resume_download(request, public_id):
    resume = selectors.resume_get(user=request.user, public_id=public_id)
    return stored_file_response(resume.file, resume.original_name)


@require_GET
def resume_status(request, public_id):
    """The parse-progress fragment that both candidate pages poll while a resume is being read."""
    resume = selectors.resume_get(user=request.user, public_id=public_id)
    return render(request, "candidates/_resume.html", {"resume": resume})


# The candidate's answer (no login) ---------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if over_limit(request, "candidate_confirm"):
        return render(
            request,
            "candidates/confirm.html",
            {"error": "Too many attempts. Please wait a minute."},
            status=429,
        )
    try:
        submission = services.submission_for_confirmation(token)
        if request.method == "POST":
            submission = services.submission_confirm(
                token=token, confirmed=request.POST.get("answer") == "yes"
            )
    except services.ConfirmationInvalid as exc:
        return render(request, "candidates/confirm.html", {"error": str(exc)}, status=410)
    return render(request, "candidates/confirm.html", {"submission": submission})
