"""schemathesis against the OpenAPI schema, in-process, as a facilitator and a participant.

Checks: no server error ever, and every documented response matches its schema. Path ids are
steered half of the time to the caller's real workshop and prompt, so the calls get past 404
into the handlers. Deterministic (the "ci" hypothesis profile) and bounded (max_examples).
"""

from __future__ import annotations

import schemathesis
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app.config import Settings
from app.main import create_app
from tests.security.world import World

_APP = create_app(Settings(environment="test", secret_key="schema-only-" + "x" * 20))
schema = schemathesis.openapi.from_dict(_APP.openapi())
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _steer(case: schemathesis.Case, world: World) -> None:
    """Point about half the generated ids at real rows, so handlers run past the 404."""
    params = case.path_parameters or {}
    if isinstance(params.get("workshop_id"), int) and params["workshop_id"] % 2 == 0:
        params["workshop_id"] = world.workshop_id
    if isinstance(params.get("prompt_id"), int) and params["prompt_id"] % 2 == 0:
        params["prompt_id"] = world.prompt_id
    if isinstance(params.get("group_id"), int) and params["group_id"] % 2 == 0:
        params["group_id"] = world.new_groups()["group_id"]
    if isinstance(params.get("answer_id"), int) and params["answer_id"] % 2 == 0:
        params["answer_id"] = world.hidden_answer_id
    if isinstance(params.get("deck_id"), str) and len(params["deck_id"]) % 2 == 0:
        params["deck_id"] = "nji-beleidsmakers"
    body = case.body
    if isinstance(body, dict):
        if isinstance(body.get("prompt_id"), int) and body["prompt_id"] % 2 == 0:
            body["prompt_id"] = world.prompt_id
        if isinstance(body.get("code"), str) and len(body["code"]) % 2 == 0:
            body["code"] = world.code


# Who calls what: the participant's endpoints with a participant token, the rest as the owner.
# (Wrong-kind tokens are the authorization matrix's business.)
PARTICIPANT_OPERATIONS = {
    ("POST", "/api/v1/join"),
    ("GET", "/api/v1/workshops/{workshop_id}/prompt"),
    ("POST", "/api/v1/workshops/{workshop_id}/answers"),
}
TOKEN = "/api/v1/auth/token"


def _call_and_validate(case: schemathesis.Case, world: World) -> int:
    """Call the app as the right kind of caller; raises when a check fails. Returns the status."""
    _steer(case, world)
    operation = (case.method.upper(), case.path)
    role = "participant" if operation in PARTICIPANT_OPERATIONS else "owner"
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    headers = dict(kwargs.pop("headers", None) or {})
    headers.setdefault("Authorization", f"Bearer {world.principals[role].bearer}")
    data = kwargs.pop("data", None)
    world.client.cookies.clear()
    response = world.client.request(
        kwargs.pop("method"),
        kwargs.pop("url"),
        headers=headers,
        params=kwargs.pop("params", None),
        json=kwargs.pop("json", None),
        content=data if isinstance(data, bytes | str) else None,
        data=data if isinstance(data, dict) else None,
        follow_redirects=False,
    )
    world.client.cookies.clear()
    case.validate_response(response, checks=CHECKS)
    return response.status_code


@schema.exclude(path=TOKEN).parametrize()
@settings(max_examples=15)
def test_the_api_honours_its_schema(case: schemathesis.Case, world: World) -> None:
    # validate_response raises on any failed check; the status is asserted here as well.
    assert _call_and_validate(case, world) < 500


# Every call hashes a password (argon2, on purpose slow), so fewer examples here.
@schema.include(path=TOKEN).parametrize()
@settings(max_examples=4)
def test_the_token_endpoint_honours_its_schema(case: schemathesis.Case, world: World) -> None:
    assert _call_and_validate(case, world) < 500
