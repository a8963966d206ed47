"""The CSP header is the settings' policy, built once, and still follows a change of either."""

import pytest
from csp.constants import HEADER
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.csp import CachedPolicyCSPMiddleware


def respond(response=None, **request_attrs):
    request = RequestFactory().get("/requests/")
    for name, value in request_attrs.items():
        setattr(request, name, value)
    middleware = CachedPolicyCSPMiddleware(lambda r: response or HttpResponse("ok"))
    return middleware(request)


def test_every_response_carries_the_policy_of_the_settings():
    assert respond()[HEADER] == build_policy()
    assert "default-src 'self'" in respond()[HEADER]


def test_a_changed_setting_changes_the_header_of_the_next_response():
    respond()  # the policy of the settings is built and kept
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert respond()[HEADER] == "default-src 'none'"
    assert "default-src 'self'" in respond()[HEADER]


def test_a_view_that_adds_to_the_policy_gets_its_own_header():
    response = HttpResponse("ok")
    response._csp_update = {"img-src": ["https://example.org"]}
    header = respond(response)[HEADER]
    assert "https://example.org" in header and "default-src 'self'" in header
    assert "https://example.org" not in respond()[HEADER]


def test_an_exempt_response_and_a_header_set_by_the_view_are_left_alone():
    exempt = HttpResponse("ok")
    exempt._csp_exempt = True
    assert HEADER not in respond(exempt)
    own = HttpResponse("ok")
    own[HEADER] = "default-src 'none'"
    assert respond(own)[HEADER] == "default-src 'none'"


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    CachedPolicyCSPMiddleware(lambda r: HttpResponse("ok"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
