"""Agency threads, both portals: the inbox and its unread badge, a thread and its messages and
attachments, starting a general or private thread, and a candidate's thread and files."""

from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from candidates import selectors as candidate_selectors
from messaging import forms
from messaging.selectors import threads as selectors
from messaging.services import threads as services
from recruitment.decorators import employer_only
from recruitment.downloads import stored_file_response
from recruitment.forms import (
    add_service_errors,
    filters_applied,
    query_id,
    query_uuid,
    valid_filters,
)
from recruitment.pagination import NoCountPaginator


def _layout(user) -> str:
    return "agency_base.html" if user.is_agency_user else "recruiter_base.html"


@require_GET
def inbox(request):
    agencies = partial(selectors.inbox_agency_choices, user=request.user)
    form = forms.InboxFilterForm(
        request.GET or None, agencies=agencies if request.user.is_employer else None
    )
    filters = valid_filters(form)
    page = NoCountPaginator(selectors.inbox(user=request.user, filters=filters), 30).page(
        request.GET.get("page")
    )
    page.object_list = selectors.attach_last_messages(list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "layout": _layout(request.user),
        "filtered": filters_applied(filters),
    }
    template = "messaging/inbox.html" + ("#thread-list" if request.htmx else "")
    return render(request, template, context)


@require_GET
def unread_badge(request):
    """The navigation's Inbox count, polled by every page of both portals (and asked again after a
    chat poll read new messages): 204 while the page shows the right number. Rendered without
    the request's context processors, so that it costs the count's one query."""
    badge = selectors.unread_badge(user=request.user)
    if request.GET.get("shown") == str(badge["unread_threads"]):
        return HttpResponse(status=204)
    return HttpResponse(render_to_string("messaging/_unread_badge.html", badge))


@require_GET
def thread_detail(request, public_id):
    """The conversation; with ?after=<id> (htmx polling) only the messages that came since."""
    thread = selectors.thread_get(user=request.user, public_id=public_id)
    after, before = query_id(request, "after"), query_id(request, "before")
    shown = selectors.thread_messages(thread=thread, after=after, before=before)
    services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "thread": thread,
        "thread_messages": shown,
        "older": shown[0].pk if len(shown) == selectors.PAGE_OF_MESSAGES else None,
        "form": forms.MessageForm(),
        "layout": _layout(request.user),
    }
    if request.htmx and "after" in request.GET:
        return _thread_poll(request, context, after=after)
    return render(request, "messaging/thread_detail.html", context)


def _thread_poll(request, context: dict, *, after: int):
    """The messages that came since `after`, and those deleted since the poll's mark (sent back
    in X-Deleted-Since), to swap in place; new messages were read, so the unread badge refreshes."""
    thread = context["thread"]
    if "deleted_since" in request.GET:
        since = _aware_time(request.GET["deleted_since"])
        context["deleted_messages"] = selectors.thread_deletions(
            thread=thread, since=since, up_to=after
        )
    response = render(request, "messaging/_message_batch.html", context)
    if thread.last_deleted_at:
        response["X-Deleted-Since"] = thread.last_deleted_at.isoformat()
    if context["thread_messages"]:
        trigger_client_event(response, "unread-changed")
    return response


def _aware_time(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


@require_POST
def message_post(request, public_id):
    thread = selectors.thread_get(user=request.user, public_id=public_id)
    form = forms.MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.message_post(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request,
                    "messaging/_message_batch.html",
                    {"thread_messages": [message], "thread": thread, "form": forms.MessageForm()},
                )
            return redirect("messaging:thread", public_id=thread.public_id)
    if request.htmx:
        # htmx swaps 2xx answers only: the form, with its errors, replaces the compose box.
        response = render(request, "messaging/_compose.html", {"form": form, "thread": thread})
        return reswap(retarget(response, "#compose"), "outerHTML")
    context = {
        "thread": thread,
        "thread_messages": selectors.thread_messages(thread=thread),
        "form": form,
        "layout": _layout(request.user),
    }
    return render(request, "messaging/thread_detail.html", context, status=422)


@require_POST
def message_delete(request, public_id):
    message = selectors.message_get(user=request.user, public_id=public_id)
    message = services.message_delete(actor=request.user, message=message)
    if request.htmx:
        return render(
            request, "messaging/_message.html", {"message": message, "thread": message.thread}
        )
    return redirect("messaging:thread", public_id=message.thread.public_id)


@require_GET
def attachment_download(request, public_id):
    attachment = selectors.attachment_get(user=request.user, public_id=public_id)
    return stored_file_response(attachment.file, attachment.name)


@require_http_methods(["GET", "POST"])
def general_thread_new(request):
    agencies = selectors.thread_agencies(user=request.user) if request.user.is_employer else None
    form = forms.GeneralThreadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data.get("agency") or request.user.membership.agency
        message = services.general_thread_start(
            actor=request.user,
            agency=agency,
            subject=data["subject"],
            body=data["body"],
            files=data["files"],
        )
        return redirect("messaging:thread", public_id=message.thread.public_id)
    return render(
        request,
        "messaging/thread_new.html",
        {"form": form, "kind": "general", "layout": _layout(request.user)},
    )


@require_http_methods(["GET", "POST"])
def private_thread_new(request):
    partners = selectors.private_partners(user=request.user)
    initial = {"partner": partners.filter(public_id=query_uuid(request, "with")).first()}
    form = forms.PrivateThreadForm(
        request.POST or None, request.FILES or None, partners=partners, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = services.private_thread_start(
            actor=request.user, partner=data["partner"], body=data["body"], files=data["files"]
        )
        return redirect("messaging:thread", public_id=message.thread.public_id)
    return render(
        request,
        "messaging/thread_new.html",
        {"form": form, "kind": "private", "layout": _layout(request.user)},
    )


@require_http_methods(["GET", "POST"])
def candidate_thread(request, public_id):
    """The Communication tab of a candidate page (both portals): the candidate's agency thread,
    started by whichever side writes first, and links to those of profiles merged into it."""
    candidate = candidate_selectors.candidate_get(user=request.user, public_id=public_id)
    thread, *merged_threads = selectors.candidate_threads(
        user=request.user, candidate=candidate
    ) or [None]
    form = forms.MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.candidate_thread_start(
                actor=request.user,
                candidate=candidate,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("messaging:thread", public_id=message.thread.public_id)
    if thread is not None:
        services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "candidate": candidate,
        "thread": thread,
        "merged_threads": merged_threads,
        "form": form,
        "layout": _layout(request.user),
        "thread_messages": selectors.thread_messages(thread=thread) if thread else [],
    }
    template = "messaging/candidate_thread.html" + ("#conversation" if request.htmx else "")
    response = render(request, template, context)
    if thread is not None and thread.unread:  # now read: the navigation's count follows
        trigger_client_event(response, "unread-changed")
    return response


@require_GET
@employer_only()
def candidate_files(request, public_id):
    """Every file about a candidate, for the recruiter's candidate page."""
    candidate = candidate_selectors.candidate_get(user=request.user, public_id=public_id)
    resumes, attachments = selectors.candidate_files(user=request.user, candidate=candidate)
    context = {"candidate": candidate, "resumes": resumes, "attachments": attachments}
    template = "messaging/candidate_files.html" + ("#candidate-files" if request.htmx else "")
    return render(request, template, context)
