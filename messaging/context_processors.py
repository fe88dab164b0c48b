from django.conf import settings

from messaging.selectors import threads as selectors


def inbox(request):
    """The unread count beside Inbox in both portals' navigation; whether the texting console
    exists."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        **selectors.unread_badge(user=user),
        "texting_console": settings.TEXTING_PROVIDER.endswith("ConsoleProvider"),
    }
