from typing import Any

from django.http import HttpRequest

from ansinh.accounts.selectors import active_memberships, permission_codes, primary_membership


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs: the user's organisation and role, and whether to show the staff area."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_membership": None, "shell_is_staff": False}
    membership = primary_membership(user)
    return {
        "shell_membership": membership,
        "shell_memberships": active_memberships(user),
        "shell_is_staff": bool(membership) or user.is_superuser,
        "shell_permissions": permission_codes(user),
    }
