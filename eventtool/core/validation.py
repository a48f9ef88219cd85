"""Turn pydantic validation errors into one ValidationFailed with an i18n key per field."""
from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from .errors import ValidationFailed

M = TypeVar("M")

_BUILTIN = {
    "missing": "field.required",
    "string_too_long": "field.too_long",
    "int_parsing": "field.number",
    "int_type": "field.number",
    "int_from_float": "field.number",
    "greater_than_equal": "field.min",
    "less_than_equal": "field.max",
    "enum": "field.choice_invalid",
    "literal_error": "field.choice_invalid",
    "datetime_parsing": "field.datetime_invalid",
    "datetime_type": "field.datetime_invalid",
    "bool_parsing": "field.invalid",
}


def parse(model: type[M], data: dict) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, tuple[str, dict]] = {}
        for e in exc.errors():
            kind = e["type"]
            ctx = {k: v for k, v in (e.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
            code = kind if "." in kind else _BUILTIN.get(kind, "field.invalid")
            if kind == "greater_than_equal":
                ctx = {"min": ctx.get("ge")}
            elif kind == "less_than_equal":
                ctx = {"max": ctx.get("le")}
            elif kind == "string_too_long":
                ctx = {"max": ctx.get("max_length")}
            # Cross-field rules name their field in the context (models.Input).
            field = str(e["loc"][0]) if e["loc"] else str(ctx.pop("field", "_form"))
            errors.setdefault(field, (code, ctx))
        cross_rules = getattr(model, "cross_rules", None)
        if cross_rules is not None and isinstance(data, dict):
            for field, code in cross_rules(data).items():
                errors.setdefault(field, (code, {}))
        raise ValidationFailed(errors) from None
