"""/api/v1/openapi.json: the API described as OpenAPI 3.1, written by apispec from the code.

The paths come from the views' own declarations (api.OPERATIONS: rule, schema, words), their
parameters from the rules' variables, the schemas from api_schemas.py; so a new view is
described by declaring it, and the tests validate every answer against this document.
"""
from __future__ import annotations

import json
import re

from apispec import APISpec
from flask import Blueprint, current_app

from ..pdf.documents import printed_address
from . import api
from .api_schemas import SCHEMAS, ref

bp = Blueprint("api_doc", __name__, url_prefix=api.PREFIX)
VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")
PARAMETERS = {
    "lang": {"description": "A language of the site, as /api/v1/locales.json lists them (BCP 47)",
             "schema": {"type": "string"}, "examples": {"spanish": {"value": "es"}}},
    "slug": {"description": "A guide's or a post's name, as the lists give it",
             "schema": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}},
}
DESCRIPTION = """Read-only: the guides, wallet cards, printable PDFs and news of MAI Guides, in every
language of the site, for partner organisations to show on their own sites and apps.

Every answer is JSON in UTF-8 with an `ETag` (send `If-None-Match` to get `304 Not Modified`) and
`Access-Control-Allow-Origin: *`; no cookies, no keys, nothing about the client is kept. Addresses
in answers are relative to the site: resolve them against the address of the JSON. A static copy
of the site (`flask mai freeze`) holds the same API as files under the same paths.

Show a translation's machine-draft notice with its text, and a guide's notices with the guide."""
HEADERS = {
    "ETag": {"description": "The answer's version; it changes only with a new build", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=300", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "*: any site may read it", "schema": {"const": "*"}},
}


def path_of(rule: str) -> tuple[str, list[str]]:
    """A Flask rule as an OpenAPI path template, and its variables."""
    return api.PREFIX + VARIABLE.sub(r"{\1}", rule), VARIABLE.findall(rule)


def operation(op: api.Operation, variables: list[str]) -> dict:
    """One GET: its parameters, its 200 (described by its schema) and its 304 and 404."""
    responses = {
        "200": {"description": op.summary, "headers": HEADERS,
                "content": {"application/json": {"schema": ref(op.schema)}}},
        "304": {"description": "Not modified: the ETag sent in If-None-Match is still current"},
    }
    if variables:
        responses["404"] = {"description": "No such language, guide or post",
                            "content": {api.PROBLEM_TYPE: {"schema": ref("Problem")}}}
    return {"get": {"operationId": op.endpoint.split(".")[-1], "summary": op.summary,
                    **({"description": op.description} if op.description else {}),
                    "parameters": [{"name": name, "in": "path", "required": True, **PARAMETERS[name]}
                                   for name in variables],
                    "responses": responses}}


def document() -> dict:
    """The OpenAPI 3.1 document of every declared operation."""
    base = printed_address(current_app.config["MAI_BASE_URL"])
    spec = APISpec(title="MAI Guides API", version="1.0.0", openapi_version="3.1.0", info={
        "description": DESCRIPTION,
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    }, servers=[{"url": base or "/", "description": "This site"}])
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    for op in api.OPERATIONS:
        path, variables = path_of(op.rule)
        spec.path(path=path, operations=operation(op, variables))
    spec.path(path=f"{api.PREFIX}/openapi.json", operations={"get": {
        "operationId": "openapi", "summary": "This document",
        "responses": {"200": {"description": "The OpenAPI 3.1 document of the API", "headers": HEADERS,
                              "content": {"application/json": {"schema": {"type": "object", "required": ["openapi"]}}}},
                      "304": {"description": "Not modified"}}}})
    return spec.to_dict()


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/openapi.json")
def openapi_json():
    return current_app.response_class(json.dumps(document(), ensure_ascii=False, indent=1),
                                      mimetype="application/json")
