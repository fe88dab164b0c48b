from django.conf import settings

from recruitment import selectors

# Which navigation item a page belongs to, by its namespaced URL name.
NAV_SECTIONS = {
    "jobs": {
        "recruitment:job-list",
        "recruitment:job-detail",
        "recruitment:job-create",
        "recruitment:job-edit",
        "agencies:job-send",
        "agencies:job-agencies",
        "agencies:assignment-edit",
        "candidates:job-people",
        "portal:home",
        "portal:assignment-detail",
    },
    "people": {
        "candidates:people",
        "candidates:candidate-detail",
        "candidates:candidate-contact",
        "candidates:identity-conflicts",
        "candidates:identity-conflict",
    },
    "agencies": {"agencies:agency-list", "agencies:agency-detail", "agencies:agency-create"},
    "settings": {
        "candidates:duplicate-rules",
        "messaging:seats",
        "messaging:sender-numbers",
        "messaging:texting-console",
    },
    "conversations": {"messaging:conversations", "messaging:application-texts"},
    "submit": {"portal-candidates:create"},
    "mine": {"portal-candidates:mine", "portal-candidates:detail"},
    "pool": {"portal-candidates:pool"},
    "team": {"portal:team"},
    "users": {
        "agencies:user-list",
        "agencies:user-detail",
        "portal:user-list",
        "portal:user-detail",
        "agencies:audit-log",
    },
    "analytics": {
        "candidates:analytics",
        "candidates:analytics-jobs",
        "portal-candidates:analytics",
    },
    "inbox": {
        "messaging:inbox",
        "messaging:agency-inbox",
        "messaging:thread",
        "messaging:general-new",
        "messaging:private-new",
    },
}


def _nav_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    return next((section for section, views in NAV_SECTIONS.items() if view in views), "")


def navigation(request):
    context = {"employer_name": settings.EMPLOYER_NAME, "nav_section": _nav_section(request)}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = selectors.unread_notification_count(user=user)
    return context
