"""Git merge driver for the catalogs: a three-way merge entry by entry (keyed by msgctxt).

Registered for `*.po` and `*.pot` in `.gitattributes`; enable it once per clone with
    git config merge.po.driver "python -m scripts.merge_po %O %A %B"
Two branches that add different messages then merge without a conflict. The merged file is
written over %A; the exit status is 1 when both sides changed the same message differently
(the file then keeps this side's text and lists the keys on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

WIDTH = 100


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _entries(catalog: Catalog) -> dict[str, Message]:
    return {str(m.context): m for m in catalog if m.id and m.context is not None}


def _same(a: Message | None, b: Message | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.id, a.string, sorted(a.flags), a.auto_comments) == (
        b.id,
        b.string,
        sorted(b.flags),
        b.auto_comments,
    )


def merge(base_path: Path, ours_path: Path, theirs_path: Path) -> list[str]:
    """Merge into `ours_path`; returns the keys both sides changed differently."""
    base, ours, theirs = (_entries(_read(p)) for p in (base_path, ours_path, theirs_path))
    result = _read(ours_path)
    conflicts: list[str] = []
    for key in list(ours) + [k for k in theirs if k not in ours]:
        mine, other, old = ours.get(key), theirs.get(key), base.get(key)
        if _same(mine, other) or _same(other, old):
            continue  # nothing new from their side
        if _same(mine, old):
            if mine is not None:
                result.delete(mine.id, context=key)
            if other is not None:
                result[other.id] = other  # theirs changed or added it; ours did not touch it
            continue
        conflicts.append(key)
    with ours_path.open("wb") as handle:
        write_po(handle, result, width=WIDTH, sort_output=False, include_previous=False)
    return conflicts


def main() -> int:
    base, ours, theirs = (Path(arg) for arg in sys.argv[1:4])
    conflicts = merge(base, ours, theirs)
    for key in conflicts:
        print(f"{ours}: both sides changed '{key}'; kept this side's text", file=sys.stderr)
    return 1 if conflicts else 0


if __name__ == "__main__":
    raise SystemExit(main())
