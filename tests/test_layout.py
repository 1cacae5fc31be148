"""The app's shape (README, "Architecture"): imports point one way, packages are entered by their
public names, and no module grows past what one can read."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "notices"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = ["notices", *path.relative_to(APP).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {module_name(p): p for p in APP.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The app modules `name` imports, at any depth of the file (function-level imports included)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def graph() -> dict[str, set[str]]:
    modules = app_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def cycle_through(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports from `start` back to itself, if there is one (packages' own __init__ aside)."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start and not start.startswith(node + ".") and not node.startswith(start + "."):
                return path + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_no_module_imports_itself_back_through_others():
    edges = graph()
    # A package's __init__ re-exports its modules: an edge from a module to its own package is
    # the way in, not a loop.
    edges = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in edges.items()}
    looping = sorted(m for m in edges if cycle_through(m, edges))
    assert not looping, " -> ".join(cycle_through(looping[0], edges))


# The layers of README's "Architecture", from the bytes to the doors: a module imports only
# from its own layer or those before it.
LAYERS = {
    "notices.parsing": 1,
    "notices.models": 2, "notices.tokenize": 2, "notices.topics": 2, "notices.derive": 2, "notices.counts": 2,
    "notices.write": 3, "notices.bulk": 3, "notices.ingest": 3, "notices.merge": 3, "notices.corrections": 3,
    "notices.export_import": 3, "notices.uploads": 3, "notices.notice_json": 3,
    "notices.search": 4, "notices.filters": 4, "notices.facets": 4,
    "notices.presentation": 5, "notices.opendata": 5,
    "notices.views": 6, "notices.admin": 6, "notices.management": 6, "notices.urls": 6, "notices.templatetags": 6,
    "notices.apps": 6, "notices.checks": 6, "notices.jobs": 6,
    "notices.jobs.models": 2,  # the job queue's rows are data like the others (models.py imports them)
    "notices.capture": 3, "notices.provenance": 2, "notices.copies": 3, "notices.harvest": 6,
    "notices.harvest.models": 2, "notices.pending_uploads": 2, "notices.ranking_rows": 2,
}


def layer(module: str) -> int:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    assert prefixes, f"{module} belongs to no layer: add it to LAYERS (and to the README)"
    return LAYERS[max(prefixes, key=len)]


def test_imports_point_from_the_doors_towards_the_bytes_only():
    for name, targets in graph().items():
        if name == "notices":
            continue
        upward = [t for t in targets - {"notices"} if layer(t) > layer(name)]  # the app's own __init__ is empty
        assert not upward, f"{name} (layer {layer(name)}) imports {upward}"


def test_the_parser_and_the_derivations_import_no_models():
    edges = graph()
    for name, targets in edges.items():
        if name.startswith("notices.parsing"):
            assert all(t.startswith("notices.parsing") for t in targets), name
            assert "django" not in app_modules()[name].read_text(encoding="utf-8"), name
    assert not {t for t in edges["notices.derive"] if t.startswith("notices.models")}


# What the rest of the app may import of a package: its public names, and for the parser the
# frozen values it hands out (types) and the character folding search shares with it (chars).
PUBLIC = {
    "notices.search": {"notices.search"},
    "notices.parsing": {"notices.parsing", "notices.parsing.types", "notices.parsing.chars"},
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_outside_a_package_only_its_public_names_are_imported(package):
    for name, targets in graph().items():
        if name == package or name.startswith(package + "."):
            continue
        inside = {t for t in targets if t.startswith(package + ".")} - PUBLIC[package]
        assert not inside, f"{name} imports {sorted(inside)}"


def test_no_app_module_is_longer_than_one_can_read():
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in app_modules().items()}
    assert not {name: n for name, n in lengths.items() if n > MAX_LINES}
