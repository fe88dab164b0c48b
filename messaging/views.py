from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from messaging import forms, selectors, services
from recruitment.decorators import employer_only


def _layout(user) -> str:
    return "agency_base.html" if user.is_agency_user else "recruiter_base.html"


def _form_errors_from(exc: ValidationError, form) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_GET
def inbox(request):
    agencies = selectors.inbox_agencies(user=request.user) if request.user.is_employer else None
    form = forms.InboxFilterForm(request.GET or None, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.inbox(user=request.user, filters=filters), 30).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "layout": _layout(request.user)}
    template = "messaging/inbox.html" + ("#thread-list" if request.htmx else "")
    return render(request, template, context)


@require_GET
def thread_detail(request, public_id):
    """The conversation; with ?after=<id> (htmx polling) only the messages that came since."""
    thread = selectors.thread_get(user=request.user, public_id=public_id)
    after = int(request.GET.get("after", 0) or 0) if request.GET.get("after", "0").isdigit() else 0
    new_messages = selectors.thread_messages(thread=thread, after=after)
    services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "thread": thread,
        "thread_messages": new_messages,
        "form": forms.MessageForm(),
        "layout": _layout(request.user),
    }
    if request.htmx and "after" in request.GET:
        return render(request, "messaging/_message_batch.html", context)
    return render(request, "messaging/thread_detail.html", context)


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
            _form_errors_from(exc, form)
        else:
            if request.htmx:
                return render(
                    request,
                    "messaging/_message_batch.html",
                    {"thread_messages": [message], "thread": thread, "form": forms.MessageForm()},
                )
            return redirect("messaging:thread", public_id=thread.public_id)
    if request.htmx:
        return render(
            request, "messaging/_compose.html", {"form": form, "thread": thread}, status=422
        )
    context = {"thread": thread, "thread_messages": selectors.thread_messages(thread=thread), "form": form,
               "layout": _layout(request.user)}  # fmt: skip
    return render(request, "messaging/thread_detail.html", context, status=422)


@require_POST
def message_delete(request, public_id):
    message = selectors.message_get(user=request.user, public_id=public_id)
    services.message_delete(actor=request.user, message=message)
    if request.htmx:
        return render(
            request, "messaging/_message.html", {"message": message, "thread": message.thread}
        )
    return redirect("messaging:thread", public_id=message.thread.public_id)


@require_GET
def attachment_download(request, public_id):
    attachment = selectors.attachment_get(user=request.user, public_id=public_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_http_methods(["GET", "POST"])
def general_thread_new(request):
    agencies = selectors.inbox_agencies(user=request.user) if request.user.is_employer else None
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
    initial = {"partner": partners.filter(public_id=request.GET.get("with")).first()}
    form = forms.PrivateThreadForm(
        request.POST or None, request.FILES or None, partners=partners, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = services.private_thread_start(actor=request.user, partner=data["partner"], body=data["body"],
                                                files=data["files"])  # fmt: skip
        return redirect("messaging:thread", public_id=message.thread.public_id)
    return render(
        request,
        "messaging/thread_new.html",
        {"form": form, "kind": "private", "layout": _layout(request.user)},
    )


@require_http_methods(["GET", "POST"])
def candidate_conversation(request, public_id):
    """The Communication tab of a candidate page (both portals): the candidate's agency thread,
    started by whichever side writes first."""
    candidate = selectors.candidate_for_conversation(user=request.user, public_id=public_id)
    thread = selectors.candidate_thread(user=request.user, candidate=candidate)
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
            _form_errors_from(exc, form)
        else:
            return redirect("messaging:thread", public_id=message.thread.public_id)
    if thread is not None:
        services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "candidate": candidate, "thread": thread, "form": form, "layout": _layout(request.user),
        "thread_messages": selectors.thread_messages(thread=thread) if thread else [],
    }  # fmt: skip
    template = "messaging/candidate_conversation.html" + ("#conversation" if request.htmx else "")
    return render(request, template, context)


@require_GET
@employer_only()
def candidate_files(request, public_id):
    """Every file about a candidate, for the recruiter's candidate page."""
    candidate = selectors.candidate_for_conversation(user=request.user, public_id=public_id)
    resumes, attachments = selectors.candidate_files(user=request.user, candidate=candidate)
    context = {"candidate": candidate, "resumes": resumes, "attachments": attachments}
    template = "messaging/candidate_files.html" + ("#candidate-files" if request.htmx else "")
    return render(request, template, context)
