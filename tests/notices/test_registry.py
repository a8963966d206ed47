"""Each app registers its own kinds; the outbox refuses a kind nobody registered."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import select_template

from contracts.notice_kinds import K as ContractKind
from notices import registry, services
from notices.models import Notice
from notices.recipients import Recipient
from requests_intake.notice_kinds import K as RequestKind
from tests.factories import approved_request

NOTICES = Path(settings.BASE_DIR) / "notices"


def test_the_apps_register_every_kind_they_declare_with_their_labels():
    for kind in [*RequestKind, *ContractKind]:
        assert registry.get(kind.value).label == kind.label


def test_every_contract_kind_has_its_templates_under_contracts_and_names_the_reference():
    for kind in ContractKind:
        registered = registry.get(kind.value)
        assert "{ref}" in registered.subject
        for ext in ("txt", "html"):
            name = f"contracts/notices/{kind.value}.{ext}"
            assert select_template([name]).template.name == name


def test_registering_a_different_kind_under_a_known_value_is_refused():
    known = registry.get(RequestKind.RECEIPT)
    with pytest.raises(ValueError, match="registered already"):
        registry.register(registry.NoticeKind(known.value, "Other", "x", "elsewhere"))
    registry.register(known)  # the same kind again is harmless
    assert registry.get(RequestKind.RECEIPT) is known


@pytest.mark.django_db
def test_an_unregistered_kind_is_refused_before_any_row_is_written():
    with pytest.raises(LookupError, match="no_such_kind"):
        services.queue_notices(
            kind="no_such_kind", recipients=[Recipient("a@example.org")], event="e"
        )
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_contract_notice_renders_from_the_contracts_templates_in_the_request_layout(reviewer):
    req = approved_request(reviewer=reviewer)
    sow = req.scope_of_work
    (row,) = services.build_notices(
        kind=ContractKind.CONTRACT_DUE_REMINDER,
        req=req,
        recipients=[Recipient(reviewer.email, reviewer, "Riley Reviewer", "staff")],
        event="e",
        context={"due_date": sow.effective_due_date, "sow": sow},
    )
    assert row.subject == f"Agreement for {req.reference} is due tomorrow"
    assert f"The agreement for {req.reference} ({req.lea.name}) is due" in row.body_text
    assert row.body_text.startswith("Hello Riley Reviewer,")
    assert f"Request: {req.reference}" in row.body_text  # the request notices' layout


def test_the_notices_package_imports_none_of_the_apps_it_serves():
    served = {"requests_intake", "contracts", "accounts", "eligibility", "ccee_portal"}
    for path in NOTICES.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in served, f"{path.name} imports {name}"
