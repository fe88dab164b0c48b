from django.conf import settings

from recruitment import selectors


def navigation(request):
    context = {"employer_name": settings.EMPLOYER_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = selectors.unread_notification_count(user=user)
    return context
