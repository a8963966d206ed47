"""A queryset built once a process and copied at every use, as a class-based view's is."""

import functools


def built_once(build):
    """Return `build` (which returns a queryset) made once per arguments, a copy at each call.

    The cached queryset is never evaluated itself: each caller gets `.all()` of it, so who or
    what it finds is read when the copy runs. For queries asked on hot paths whose building
    (nested querysets, joins) costs as much as running them.
    """
    made = functools.lru_cache(maxsize=16)(build)

    @functools.wraps(build)
    def copy(*args):
        return made(*args).all()

    return copy
