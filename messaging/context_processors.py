from django.conf import settings

from messaging import selectors


def inbox(request):
    """The unread count beside Inbox in both portals' navigation; whether the texting console exists."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = selectors.unread_thread_count(user=user)
    return {
        "unread_threads": unread,
        "unread_threads_shown": f"{selectors.UNREAD_BADGE_MAX}+"
        if unread > selectors.UNREAD_BADGE_MAX
        else unread,
        "texting_console": settings.TEXTING_PROVIDER.endswith("ConsoleProvider"),
    }
