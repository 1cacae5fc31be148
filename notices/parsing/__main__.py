"""python -m notices.parsing FILE...: one notice JSON line per file, or {"file", "error"}."""
from __future__ import annotations

import json
import sys

from .pipeline import parse_notice
from .types import ParseError


def main(paths: list[str]) -> int:
    if not paths:
        print("Usage: python -m notices.parsing FILE... (prints one JSON line per file).", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                record = parse_notice(handle.read(), path).to_json(file=path)
        except ParseError as exc:
            record, failed = {"file": path, "error": str(exc)}, failed + 1
        except OSError as exc:
            record, failed = {"file": path, "error": f"The file could not be read: {exc.strerror}."}, failed + 1
        except Exception as exc:  # a parser bug must not stop the other files
            message = f"The parser failed on this file ({type(exc).__name__}: {exc}); please report it."
            record, failed = {"file": path, "error": message}, failed + 1
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
