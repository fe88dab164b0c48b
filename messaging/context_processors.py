from messaging import selectors


def inbox(request):
    """The unread count beside Inbox in both portals' navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_threads": selectors.unread_thread_count(user=user)}
