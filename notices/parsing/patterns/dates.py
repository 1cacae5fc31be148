"""Dates as notices print them (dates.py, metadata.py): full dates, vague months, byline dates, the
signature's Chinese numerals, and what joins a period's two ends."""
from __future__ import annotations

import re

# Dates. A run of digits with at most a 年 and a 月 in it, ending in 日:
# "2025年3月21日", "2024 年 8 月 20 日", "20241120日" (年 and 月 lost), "319日", "2024717日".
DATE_DAY = re.compile(r"(?<![\d.])(\d(?:\s?\d){0,7}(?:\s*[年月](?:\s*\d){1,4}){0,2})\s*日")
# A month without a day, or with a vague part: "2024年9月至12月", "9月上旬", "3月份", "12月底".
DATE_VAGUE = re.compile(r"(?<![\d.])(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)\s*(份|上旬|中旬|下旬|初|底|末|中)?")
# Dates in a byline or disclosure block: "2024-10-25 15:39", "2024年05月20日", "2023.05.04".
ISO_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
# What joins the two ends of a period: "2025年3月21日至6月28日", "2021年3月15日—5月15日".
RANGE_JOIN = re.compile(r"^\s*(?:起\s*)?(?:至|到|—+|-|－|~|～|–)\s*")  # "自2024年3月4日起至4月26日"
FEEDBACK_WORD = re.compile(r"反馈")
# A date in Chinese numerals, as signatures print it: "二〇二四年八月二十日", "二○二四年十二月三十日".
CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
# A whole line that is a date (the signature date): "2026年1月9日", "2024 年 8 月 20 日", "二〇二四年八月二十日".
DATE_LINE = re.compile(
    r"^[(（]?\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|" + CN_DATE.pattern + r")\s*[)）]?$"
)
