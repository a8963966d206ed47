"""A paginator that cuts a page from a light query of the rows' ids, then reads only its rows."""

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    """Paginate `ids`, an ordered query of the rows' primary keys; `rows(page_ids)` reads a page.

    A list's query carries what its rows show (joins, subqueries, annotations). Counted, it kept
    them all; cut with LIMIT, PostgreSQL may still compute them for every row before the cut (a
    kept, generic plan sorts all of an LEA's rows when it expects few). Here the count and the cut
    are the ids' query, and `rows` gets the cut as a subquery to filter on (`pk__in=page_ids`):
    one statement that reads the joins and subqueries of the page's rows only. `rows` must order
    its rows as `ids` does.
    """

    def __init__(self, ids, per_page, *, rows, **kwargs):
        super().__init__(ids, per_page, **kwargs)
        self.rows = rows

    def _get_page(self, page_ids, number, paginator):
        return super()._get_page(self.rows(page_ids), number, paginator)
