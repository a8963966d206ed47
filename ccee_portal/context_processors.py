"""Values every page's layout needs: the agency's name and the navigation for the person's role."""

AGENCY_NAME = "California Collaborative for Educational Excellence"
PORTAL_NAME = "CCEE Assistance Portal"


def portal(request):
    user = getattr(request, "user", None)
    return {
        "AGENCY_NAME": AGENCY_NAME,
        "PORTAL_NAME": PORTAL_NAME,
        "is_admin_user": bool(user and user.is_authenticated and user.is_staff),
    }
