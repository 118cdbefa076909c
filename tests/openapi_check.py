"""Checks an HTTP answer against the OpenAPI 3.1 document that describes it: the operation its path
and method name, the status it may answer, the media type, the body's JSON Schema (with formats)
and the headers it declares."""
from __future__ import annotations

import re

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def operation_for(document: dict, path: str, method: str = "get") -> dict:
    """The operation whose path template matches path (OpenAPI templates: {name} is one segment's part)."""
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{(\w+)\\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method in item:
            return item[method]
    raise AssertionError(f"{method.upper()} {path} is not in the OpenAPI document")


def validator(document: dict, schema: dict) -> OAS31Validator:
    """A validator for one schema of the document, its $refs resolved inside the document."""
    registry = Registry().with_resource("urn:mai-api", Resource(document, DRAFT202012))
    return OAS31Validator({**schema, "$id": "urn:mai-api"} if "$ref" not in schema else
                          {"$ref": "urn:mai-api" + schema["$ref"]},
                          registry=registry, format_checker=OAS31Validator.FORMAT_CHECKER)


def check_response(document: dict, path: str, status: int, content_type: str, headers, body) -> list[str]:
    """Every way the answer differs from its description (empty: it matches)."""
    operation = operation_for(document, path)
    described = operation["responses"].get(str(status))
    if described is None:
        return [f"{path}: status {status} is not described (only {sorted(operation['responses'])})"]
    problems = []
    for name in described.get("headers", {}):
        if name not in headers:
            problems.append(f"{path}: header {name} is described but missing")
    media = described.get("content", {})
    if not media:
        return problems
    if content_type not in media:
        return [*problems, f"{path}: {content_type} is not described (only {sorted(media)})"]
    for error in validator(document, media[content_type]["schema"]).iter_errors(body):
        problems.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    return problems
