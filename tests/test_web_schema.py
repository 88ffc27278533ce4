"""Schema-driven API test: schemathesis generates requests from /openapi.json and checks every response
against it (no server errors, documented status codes, content types and response schemas)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from crosswire.web.app import create_app
from tests.web_support import copy_db, demo_db, web_settings

# Writes are sent without the token (so they are refused with a documented 401): generated ingests would
# otherwise run the embedding model hundreds of times. Their behaviour with the token is in test_web_api.
APP = create_app(web_settings(copy_db(demo_db()[0], Path(tempfile.mkdtemp(prefix="crosswire-schema-")))))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_description(case: schemathesis.Case) -> None:
    case.call_and_validate()
