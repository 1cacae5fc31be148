"""The kinds of background work. Adding one: a function (job, progress) -> dict in a module of
KIND_MODULES, decorated with @job_kind(name, label); queue.enqueue(name, ...) then runs it in a worker."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .models import Job
    from .progress import Progress

# Imported before a kind is looked up, in the web process and in every worker alike.
KIND_MODULES = ["notices.jobs.kinds", "notices.harvest.jobs"]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # what the 任务 page calls it
    run: Callable[["Job", "Progress"], dict]


KINDS: dict[str, Kind] = {}


def job_kind(name: str, label: str):
    def register(run: Callable[["Job", "Progress"], dict]):
        KINDS[name] = Kind(name, label, run)
        return run

    return register


def get(name: str) -> Kind:
    for module in KIND_MODULES:
        importlib.import_module(module)
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind is called {name!r}; known: {', '.join(sorted(KINDS))}") from None
