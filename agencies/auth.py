from allauth.account.auth_backends import AuthenticationBackend

from recruitment.models import User


class AccountBackend(AuthenticationBackend):
    """Loads the session's user with their agency in one query, and returns disabled users too,
    so that ActiveAccountMiddleware can log them out with a clear message instead of a silent logout."""

    def get_user(self, user_id):
        return User.objects.select_related("membership__agency").filter(pk=user_id).first()
