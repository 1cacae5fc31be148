"""Helpers for driving the real admin with the test client: users, uploads, and submitting a change form as a browser would."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notices.models import Issue, Measure, Notice, PendingUpload, SourceFile

from .conftest import SEED_FILES

ARCHIVISTS = "档案员"


def make_user(username: str, *, group: str | None = ARCHIVISTS, perms: tuple[str, ...] = (), staff: bool = True) -> User:
    user = User.objects.create_user(username, password="not-a-real-password-31", is_staff=staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def new_notice_bytes(seed: int = 0, variant: int = 1) -> bytes:
    """A seed with blank lines added at the end: the same notice to the parser, new bytes to the archive."""
    return SEED_FILES[seed].read_bytes() + b"\n" * (variant + 2)


def upload(client, *files: tuple[str, bytes] | tuple[str, bytes, str], follow: bool = True):
    payload = [SimpleUploadedFile(f[0], f[1], content_type=f[2] if len(f) > 2 else "application/octet-stream")
               for f in files]
    return client.post(reverse("admin:notices_notice_upload"), {"files": payload}, follow=follow)


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def stored_counts() -> tuple[int, int, int, int, int]:
    return (SourceFile.objects.count(), Notice.all_objects.count(), Issue.objects.count(),
            Measure.objects.count(), PendingUpload.objects.count())


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def _form_values(form, data: dict) -> None:
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        data[key] = _plain(value)


def change_form_data(response) -> dict:
    """What a browser would submit from an admin change page left as it is (inlines included)."""
    data: dict = {}
    _form_values(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for form in formset.forms:
            _form_values(form, data)
    data["_continue"] = "1"
    return data


def inline_prefix(data: dict, model: str) -> str:
    """The formset prefix of an inline (e.g. "issues")."""
    for key in data:
        if key.endswith("-TOTAL_FORMS"):
            prefix = key[: -len("-TOTAL_FORMS")]
            if model in prefix:
                return prefix
    raise KeyError(model)


def add_inline_row(data: dict, prefix: str, values: dict) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def row_index(data: dict, prefix: str, pk: int) -> int:
    for key, value in data.items():
        if key.startswith(prefix + "-") and key.endswith("-id") and value == str(pk):
            return int(key.split("-")[-2])
    raise KeyError(pk)
