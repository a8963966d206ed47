"""An index whose NULLS LAST ordering SQLite (the embedded mode's database) cannot take.

PostgreSQL builds the index exactly as declared, so the triage queue's ORDER BY … NULLS LAST is
read from it. SQLite refuses NULLS LAST inside CREATE INDEX ("unsupported use of NULLS LAST"), so
there the same columns are indexed in plain ascending order: the embedded mode keeps an index
and sorts the few nulls itself.
"""

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
