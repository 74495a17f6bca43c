from django.utils.functional import SimpleLazyObject

from lde_portal.navigation import navigation_for

from .models import Membership


def portal(request):
    """The organisation switcher needs the user's other memberships on every page, the bar its entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    page = f"{match.namespace}:{match.url_name}" if match else ""
    return {
        # Built only when a template shows the bar (lde_portal/navigation.py).
        "navigation": SimpleLazyObject(lambda: navigation_for(current, page)) if current else [],
        "current_membership": current,
        "current_org": current.organisation if current else None,
        "my_memberships": getattr(request, "my_memberships", None) or SimpleLazyObject(lambda: list(
            Membership.objects.filter(user=user, active=True).select_related("organisation").order_by(
                "organisation__name"
            )
        )),
    }
