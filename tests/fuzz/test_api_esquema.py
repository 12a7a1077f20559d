"""Schemathesis over the web app's own OpenAPI schema (turned on with WEB_OPENAPI for this app only):
generated requests to every operation, over ASGI, never get a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from bot.container import Container
from bot.web.app import create_app


def test_generated_requests_to_every_operation_never_get_a_server_error(container: Container) -> None:
    container.settings.web_openapi = True
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(container))
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert any(op.path == "/api/webchat/{token}/messages" for op in operations)
    failures: list[str] = []
    calls: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            response = case.call()
            calls.append(case.method)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        call()
    assert not failures, failures
    assert len(calls) >= 2 * len(operations)  # every operation got several generated requests
