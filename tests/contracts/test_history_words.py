"""The agreement's history reads as who did what, in words (issue 12, item 5)."""

import pytest
from django.contrib.admin.sites import site

from contracts import services
from contracts.admin import ChangeInline
from contracts.models import ContractChange, ScopeOfWork

pytestmark = pytest.mark.django_db


def test_each_history_row_says_who_did_what_in_words_not_an_action_code(sow, reviewer):
    reviewer.full_name = "Riley Chen"
    reviewer.save(update_fields=["full_name"])
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    inline = ChangeInline(ScopeOfWork, site)

    sent = ContractChange.objects.get(scope_of_work=sow, action="send_to_agent")
    assert inline.happened(sent) == "Riley Chen sent to the agent"
    edited = ContractChange(scope_of_work=sow, action="edited", by=None, version=1)
    assert inline.happened(edited) == "The portal edited the scope of work"
