"""Where a notice came from, for its page: its address and capture time, its versions, its other sources."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from ..capture.versions import Version, versions_of
from ..models import Capture, Notice, NoticeCopy


@dataclass(frozen=True)
class OtherSource:
    label: str  # the address, or the file's name
    url: str | None
    percent: int
    added_at: object
    warc_url: str | None


@dataclass(frozen=True)
class Provenance:
    capture: Capture | None  # the capture the notice's text now comes from
    warc_url: str | None
    versions: list[Version]
    others: list[OtherSource]

    @property
    def shown(self) -> bool:
        return bool(self.capture or self.others)


def warc_url(capture: Capture) -> str:
    return reverse("notices:warc", args=[capture.notice_id, capture.pk])


def provenance_of(notice: Notice) -> Provenance:
    # Most notices were given as files, with no capture or copy: the notice page's own query says
    # so (`captured`, `copied`), and then nothing more is asked.
    captures = (list(notice.captures.select_related(None).defer("snapshot").order_by("-retrieved_at", "-id"))
                if getattr(notice, "captured", True) else [])
    copies = (NoticeCopy.objects.filter(notice=notice).select_related("source").defer("source__data")
              if getattr(notice, "copied", True) else [])
    main = next((c for c in captures if c.role == Capture.Role.MAIN), None)
    others = [
        OtherSource(c.url, c.url, round((c.similarity or 1) * 100), c.retrieved_at, warc_url(c))
        for c in captures if c.role == Capture.Role.COPY
    ] + [OtherSource(copy.source.filename, None, round(copy.similarity * 100), copy.added_at, None) for copy in copies]
    return Provenance(main, warc_url(main) if main else None, versions_of(notice) if main else [], others)
