"""Domain errors carry a message key and parameters; pages translate them."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. `code` is an i18n key, `field` the form field it belongs to (if any)."""

    def __init__(self, code: str, field: str | None = None, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{type(self).__name__}({self.code!r}, field={self.field!r}, {self.params!r})"


class NotFound(DomainError):
    pass


class ValidationFailed(DomainError):
    """Several field errors at once, so a form can say each one next to its field."""

    def __init__(self, errors: dict[str, str | tuple[str, dict]]):
        super().__init__("error.form_invalid")
        self.errors = {k: (v if isinstance(v, tuple) else (v, {})) for k, v in errors.items()}


class CapacityError(DomainError):
    pass


class PermissionDenied(DomainError):
    pass
