"""An independent reading of the plan text (data/plan/plan.txt), used to check data/*.csv.

The plan was extracted from a PDF: page breaks and table cells split words with line breaks
and spaces. Every comparison therefore removes whitespace first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PLAN = Path(__file__).resolve().parents[1] / "data" / "plan" / "plan.txt"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@lru_cache(maxsize=1)
def plan() -> str:
    return squash(PLAN.read_text(encoding="utf-8"))


def in_plan(text: str, max_chunks: int = 3, min_chunk: int = 4) -> bool:
    """True when ``text`` is in the plan, allowing at most ``max_chunks`` pieces.

    Table cells of Annex 5 are interleaved in the extracted text (a description cell is cut
    by the responsible-units cell), so a long text may be found as a few contiguous pieces,
    each in order of reading. Short texts must be found whole.
    """
    rest, body = squash(text), plan()
    if rest in body:
        return True
    for _ in range(max_chunks):
        size = len(rest)
        while size >= min_chunk and rest[:size] not in body:
            size -= 1
        if size < min_chunk:
            return False
        rest = rest[size:]
        if not rest:
            return True
    return False


def tasks() -> list[dict]:
    """Every numbered task of 三 and 四, with the text of its responsible units."""
    body = plan()[plan().index("三、重点任务"):plan().index("附件：1.")]
    found, section, part = [], "三", ""
    pieces = re.split(r"(三、重点任务|四、保障措施|（[一二三四五]）)", body)
    for piece in pieces:
        if piece == "四、保障措施":
            section, part = "四", ""
            continue
        heading = re.fullmatch(r"（([一二三四五])）", piece)
        if heading and section == "三":
            part = heading.group(1)
            continue
        pattern = r"(?:(?<=[）)。])|^|(?=1\.))(\d)\.([^。]{2,30}?)。.*?[（(]责任单位：(.*?)[）)]"
        for number, title, units in re.findall(pattern, piece):
            task_id = f"{section}({part}){number}" if part else f"{section}{number}"
            found.append({"id": task_id, "title_zh": title, "responsible_units": units})
    return found
