from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from recruitment.models import AGENCY_ROLES, EMPLOYER_ROLES


def _side_only(side_roles, allowed_roles):
    """People of the other side get 404 (they must not learn the page exists); our side
    without the role gets 403."""
    allowed = frozenset(allowed_roles or side_roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in side_roles:
                raise Http404
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def employer_only(*roles):
    return _side_only(EMPLOYER_ROLES, roles)


def agency_only(*roles):
    return _side_only(AGENCY_ROLES, roles)
