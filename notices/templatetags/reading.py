"""Template filters for the reading room: text shown as Chinese is typeset, sizes and numbers worded."""
from __future__ import annotations

from django import template

from ..presentation import outline_html
from ..presentation.text import typeset as _typeset

register = template.Library()


@register.filter
def typeset(value: str | None) -> str:
    """Full-width punctuation beside Chinese (display only); autoescaping still applies."""
    return _typeset(value)


# A notice page's lists of problems and of its table of contents (built in Python: see outline_html).
register.filter("problem_items", outline_html.problem_items)
register.filter("toc_items", outline_html.toc_items)


@register.filter
def filesize(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.filter
def chinese_ordinal(number: int | None) -> str:
    """1 -> 一, 12 -> 十二: category numbers as the notices print them."""
    digits = "零一二三四五六七八九"
    if not isinstance(number, int) or not 0 < number < 100:
        return str(number or "")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
