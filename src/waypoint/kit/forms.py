from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (the rest on top)."""
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for name, texts in errors.items():
        field = "region" if name == "region_id" else name
        for message in texts:
            if field in form.fields:
                form.add_error(field, message)
            elif field == NON_FIELD_ERRORS:
                form.add_error(None, message)
            else:
                form.add_error(None, f"{field}: {message}")


def flash_errors(request, error: ValidationError) -> None:
    """Show a service's ValidationError as messages on the next page, "field: rule" each."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for field, texts in errors.items():
        messages.error(request, f"{field}: {' '.join(texts)}" if field else " ".join(texts))
