"""What django-axes counts failed sign-ins against: the address as accounts store it."""


def axes_username(request, credentials=None) -> str:
    """Return the sign-in address in lower case, so "Pat@X.org" and "pat@x.org" are one account."""
    value = (credentials or {}).get("username")
    if value is None:
        value = getattr(request, "POST", {}).get("username", "")
    return (value or "").strip().lower()
