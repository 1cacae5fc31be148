"""What decoding bytes and tables needs (decoders/): binary data, a page's layout wrappers, how
Chinese a decoding reads, and a rectification ledger's header and number cells."""
from __future__ import annotations

import re

# A control character other than tab, newline, form feed and carriage return: binary data.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# Layout wrappers of a web page, opening or closing: <div class="x">, </span>, <font ...>.
WRAPPER_TAG = re.compile(r"<(?P<close>/?)(?P<tag>div|span|font|section)\b[^>]*>", re.I)
# A Chinese character (the CJK Unified Ideographs block): counts how Chinese a decoding reads.
CJK_CHARACTER = re.compile(r"[\u4e00-\u9fff]")

# A rectification ledger's header cells (decoders/tables.py): the column of problems
# ("问题", "存在问题", "巡察反馈问题", "问题描述"; not "整改措施", "问题整改情况", "问题数"
# or "问题类别") and the column of row numbers.
LEDGER_PROBLEM_COLUMN = re.compile(r"^(?!.*(?:措施|举措|情况|进展|完成|时限|单位|责任|数|率|类)).*问题")
LEDGER_NUMBER_COLUMN = re.compile(r"序号?|编号|No\.?", re.I)
# A number printed at the start of a ledger's problem cell: "1.", "（一）", "2、".
LEDGER_CELL_LABEL = re.compile(r"^\s*[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）.、．](?!\d)\s*")
