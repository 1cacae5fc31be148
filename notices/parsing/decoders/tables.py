"""A rectification ledger printed as a table (序号 | 问题 | 整改措施 | 责任单位 | 整改进展):
one problem a row, rendered as the lines a notice in prose would print.

Read cell by cell, such a table loses its structure: the header's words run into the first
problem, and each row's cells into the next row's. When the header row names a column of
problems, each row becomes "问题N：<problem>", then "<column>：<cell>" for every other
column ("整改措施：…", "整改进展：已完成"), which the outline reads as a problem with its
measures and status. A row whose problem cell is empty (a problem merged over several
rows) continues the problem above. Other tables are left to the caller. Web pages, Word
files and PDFs' ruled tables come here; a PDF's ledger goes on over its pages (pdf.Ledger).
"""
from __future__ import annotations

from .. import patterns as P

Cell = list[str]  # a cell's paragraphs
HEADER_MAX_CHARS = 16  # a header names a column; a longer first row is text (a layout table's, say)


def ledger_lines(rows: list[list[Cell]]) -> list[str] | None:
    """The lines of a problem table, or None when its header row (the first, or the second
    under a caption row) names no column of problems."""
    read = read_ledger(rows)
    return [line for _, line in read[0]] if read is not None else None


def read_ledger(rows: list[list[Cell]], header: list[Cell] | None = None) -> tuple[list[tuple[int, str]], list[Cell]] | None:
    """([(index of the row it comes from, line)], the header row) of a problem table; with
    `header`, every row is one under that header (the rest of a ledger a page break cut)."""
    present = [i for i, row in enumerate(rows) if any(p.strip() for cell in row for p in cell)]
    lines: list[tuple[int, str]] = []
    if header is None:
        if len(present) > 2 and sum(1 for cell in rows[present[0]] if any(p.strip() for p in cell)) == 1:
            lines = [(present[0], p) for cell in rows[present[0]] for p in cell if p.strip()]  # a caption
            present = present[1:]
        if len(present) < 2:
            return None
        header, present = rows[present[0]], present[1:]
    names = ["".join("".join(cell).split()) for cell in header]
    problem = next((i for i, name in enumerate(names)
                    if len(name) <= HEADER_MAX_CHARS and P.LEDGER_PROBLEM_COLUMN.search(name)), None)
    if problem is None:
        return None
    number = next((i for i, name in enumerate(names) if P.LEDGER_NUMBER_COLUMN.fullmatch(name)), None)
    stated = [text for i in present if problem < len(rows[i]) and (text := "".join(rows[i][problem]).strip())]
    if not stated or sum(len(text) > 4 for text in stated) * 2 < len(stated):
        return None  # counts or kinds of problems (a summary table), not the problems themselves
    count = 0
    for index in present:
        cells = rows[index] + [[]] * (len(names) - len(rows[index]))
        text = [p for p in cells[problem] if p.strip()]
        if text:
            count += 1
            label = "".join("".join(cells[number]).split()) if number is not None else ""
            own = P.LEDGER_CELL_LABEL.sub("", text[0])  # "1.低保…" in the cell: the row's number says it
            lines += [(index, f"问题{label if label.isdigit() else count}：{own}"), *((index, t) for t in text[1:])]
        for i, cell in enumerate(cells):
            paragraphs = [p for p in cell if p.strip()]
            if i in (problem, number) or not paragraphs:
                continue
            name = names[i] if i < len(names) else ""
            lines += [(index, f"{name}：{paragraphs[0]}" if name else paragraphs[0]), *((index, t) for t in paragraphs[1:])]
    return lines, header
