"""Request checking against Google's own discovery documents (shipped in google-api-python-client).

An unknown field, a wrong type or a value outside an enum is a 400 shaped like Google's own error, with
Google's wording for an unknown field.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any


class InvalidRequest(ValueError):
    pass


@lru_cache(maxsize=2)
def document(name: str) -> dict[str, Any]:
    import googleapiclient

    folder = os.path.join(os.path.dirname(googleapiclient.__file__), "discovery_cache", "documents")
    with open(os.path.join(folder, f"{name}.json"), encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=4096)
def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


Path = tuple  # (parent path, part) or (): rendered only for an error, a large write checks 600,000 values


def _render(path: Path) -> str:
    parts: list[str] = []
    while path:
        path, part = path
        parts.append(part)
    text = ""
    for part in reversed(parts):
        text += part if part.startswith("[") or not text else "." + part
    return text


def check_body(doc: str, schema_name: str, body: Any) -> None:
    schemas = document(doc)["schemas"]
    _check(schemas, {"$ref": schema_name}, body, ())


def _check(schemas: dict, schema: dict, value: Any, path: Path) -> None:
    if "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if value is None:  # JSON null is "not set" to Google, whatever the field's type
        return
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}', expected an object")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                _check(schemas, properties[key], item, (path, _snake(key)))
            elif extra is not None:
                _check(schemas, extra, item, (path, f"[{key}]"))
            else:
                at = f" at '{_render(path)}'" if path else ""
                raise InvalidRequest(f"Invalid JSON payload received. Unknown name \"{key}\"{at}: Cannot find field.")
        return
    if kind == "array":
        if not isinstance(value, list):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}', expected a list")
        items = schema.get("items", {})
        for index, item in enumerate(value):
            _check(schemas, items, item, (path, f"[{index}]"))
        return
    _check_scalar(schema, kind, value, path)


def _check_scalar(schema: dict, kind: str | None, value: Any, path: Path) -> None:
    if value is None or kind in (None, "any"):
        return
    if kind == "string":
        fmt = schema.get("format")
        if fmt in ("int64", "uint64") and isinstance(value, int) and not isinstance(value, bool):
            return
        if not isinstance(value, str):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}' ({_type_name(schema)}), {json.dumps(value)}")
        if "enum" in schema and value not in schema["enum"]:
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}' ({_type_name(schema)}), \"{value}\"")
    elif kind == "integer":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}' (TYPE_INT32), {json.dumps(value)}")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}' (TYPE_DOUBLE), {json.dumps(value)}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidRequest(f"Invalid value at '{_render(path) or 'root'}' (TYPE_BOOL), {json.dumps(value)}")


def _type_name(schema: dict) -> str:
    return "type.googleapis.com/enum" if "enum" in schema else "TYPE_STRING"


def check_query(doc: str, method: dict, query: dict[str, list[str]], also: dict | None = None) -> None:
    """Every query parameter must be the method's or a global one, of the declared type and enum."""
    known = dict(document(doc)["parameters"])
    known.update((also or {}).get("parameters", {}))
    known.update(method.get("parameters", {}))
    for name, values in query.items():
        spec = known.get(name)
        if spec is None or spec.get("location") == "path":
            raise InvalidRequest(f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query "
                                 "parameter. Field '" + name + "' could not be found in request message.")
        if len(values) > 1 and not spec.get("repeated"):
            raise InvalidRequest(f"Invalid value for parameter {name}: repeated")
        for value in values:
            if spec.get("type") == "boolean" and value.lower() not in ("true", "false"):
                raise InvalidRequest(f"Invalid value for bool field \"{name}\": \"{value}\"")
            if spec.get("type") == "integer" and not value.lstrip("-").isdigit():
                raise InvalidRequest(f"Invalid value for int field \"{name}\": \"{value}\"")
            if "enum" in spec and value not in spec["enum"]:
                raise InvalidRequest(f"Invalid value at '{_snake(name)}' (type.googleapis.com/enum), \"{value}\"")


def method(doc: str, *path: str) -> dict:
    node: dict = document(doc)
    for part in path[:-1]:
        node = node["resources"][part]
    return node["methods"][path[-1]]
