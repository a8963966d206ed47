"""An index whose NULLS LAST ordering SQLite (the embedded mode's database) cannot take.

PostgreSQL builds the index exactly as declared, so the triage queue's ORDER BY … NULLS LAST is
read from it. SQLite refuses NULLS LAST inside CREATE INDEX ("unsupported use of NULLS LAST"), so
there the same columns are indexed in plain ascending order: the embedded mode keeps an index
and sorts the few nulls itself.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.expressions import OrderBy


class NullsLastIndex(models.Index):
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(
            *[
                OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
                for e in self.expressions
            ],
            name=self.name,
        )
        return plain.create_sql(model, schema_editor, using=using, **kwargs)


class TrigramIndex(GinIndex):
    """A trigram (pg_trgm) GIN index on expressions, for LIKE '%…%' searches on PostgreSQL.

    `TrigramIndex(Upper("name"), name=…)` serves `name__icontains` (Django writes it as
    UPPER("name"::text) LIKE UPPER(…)). SQLite has neither GIN nor pg_trgm, so there the same
    expressions get a plain index: the embedded mode migrates, and its small directory is read
    in full as before. The migration that adds one first creates the pg_trgm extension
    (TrigramExtension, which does nothing on SQLite).
    """

    def __init__(self, *expressions, **kwargs):
        super().__init__(*(OpClass(e, name="gin_trgm_ops") for e in expressions), **kwargs)
        self.plain_expressions = expressions

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, self.plain_expressions, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(*self.plain_expressions, name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
