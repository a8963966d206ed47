"""The manager behind a model's `.history` (django-simple-history), with its class made once.

simple_history's descriptor makes the manager class afresh, with `Manager.from_queryset`, at
every read of `obj.history`: a new type and an `inspect.getmembers` of the queryset class, about
a million instructions, paid by every save of a model with history (its post_save reads it).
Passed as `HistoricalRecords(history_manager=…)`, this manager makes that class once for each
queryset class and hands the same one back; the managers made from it are new every time.
"""

import functools

from simple_history.manager import HistoryManager


class HistoryManagerMadeOnce(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)
