from django.utils.functional import SimpleLazyObject

from .models import Membership


def portal(request):
    """The organisation switcher needs the user's other memberships on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    return {
        "current_membership": current,
        "current_org": current.organisation if current else None,
        "my_memberships": getattr(request, "my_memberships", None) or SimpleLazyObject(lambda: list(
            Membership.objects.filter(user=user, active=True).select_related("organisation").order_by(
                "organisation__name"
            )
        )),
    }
