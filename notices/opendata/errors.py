"""Errors as JSON: {"status", "detail", "errors"}, with a sentence that says what to do next."""
from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .selection import BadParameters


def error_body(status: int, detail: str, errors: dict[str, str] | None = None) -> dict:
    return {"status": status, "detail": detail, "errors": errors or {}}


def bad_parameters_response(exc: BadParameters) -> JsonResponse:
    """For the plain Django views (CSV, feeds): the same 400 the API gives."""
    response = JsonResponse(error_body(400, exc.message, exc.errors), status=400, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


def exception_handler(exc, context):
    if isinstance(exc, BadParameters):
        exc = exceptions.ValidationError(exc.errors)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError) and isinstance(data, dict):
        errors = {k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in data.items()}
        response.data = error_body(response.status_code, " ".join(errors.values()), errors)
    elif isinstance(data, dict) and "detail" in data:
        response.data = error_body(response.status_code, str(data["detail"]))
    return response
