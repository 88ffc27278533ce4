"""The geometry of a story's time line: one mark per article by publication day, drawn server-side as SVG.

Articles of the same day stack upwards; dates inferred from the story are drawn hollow; undated articles
sit in a lane of their own at the right, never on the axis.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from crosswire.web.views import MemberOut

WIDTH_PX, AXIS_Y_PX, STEP_PX = 760, 40, 16  # canvas width; axis distance from the bottom; vertical gap between stacked marks
LEFT_PX, RIGHT_PX, UNDATED_LANE_PX = 60, 560, 660  # first and last day on the axis; x of the undated lane


@dataclass(frozen=True, slots=True)
class Mark:
    """One article on the time line."""

    x: int
    y: int
    kind: str  # dated | inferred | undated
    article_id: str
    label: str  # tooltip: outlet, date and how it was found


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the SVG template draws."""

    width: int
    height: int
    axis_y: int
    marks: tuple[Mark, ...]
    ticks: tuple[tuple[int, str], ...]  # (x, day)
    has_undated: bool


def story_timeline(members: list[MemberOut]) -> Timeline:
    """Place every member: dated ones on a day axis, the rest in the undated lane."""
    days = {m.article_id: _day(m.published.value) for m in members}
    dated = sorted({d for d in days.values() if d})
    columns: dict[int, list[MemberOut]] = defaultdict(list)
    for m in members:
        day = days[m.article_id]
        columns[_x(day, dated) if day else UNDATED_LANE_PX].append(m)
    height = AXIS_Y_PX + 30 + STEP_PX * max((len(c) for c in columns.values()), default=1)
    marks = tuple(
        _mark(m, x, height - AXIS_Y_PX - STEP_PX * (i + 1), days[m.article_id]) for x, col in columns.items() for i, m in enumerate(col)
    )
    ticks = tuple((_x(d, dated), d.isoformat()) for d in _tick_days(dated))
    return Timeline(WIDTH_PX, height, height - AXIS_Y_PX, marks, ticks, UNDATED_LANE_PX in columns)


def _mark(m: MemberOut, x: int, y: int, day: date | None) -> Mark:
    kind = "undated" if day is None else ("inferred" if m.published.source == "inferred" else "dated")
    when = f"{day.isoformat()} ({m.published.source})" if day else "undated"
    return Mark(x, y, kind, m.article_id, f"{m.outlet or 'unknown outlet'} · {when} · {m.title or m.article_id}")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _x(day: date, dated: list[date]) -> int:
    span = (dated[-1] - dated[0]).days
    if span == 0:
        return (LEFT_PX + RIGHT_PX) // 2
    return LEFT_PX + round((day - dated[0]).days / span * (RIGHT_PX - LEFT_PX))


def _tick_days(dated: list[date]) -> list[date]:
    """First and last day, and the middle one when the span is long enough to need it."""
    if not dated:
        return []
    middle = dated[0] + (dated[-1] - dated[0]) / 2
    return sorted({dated[0], dated[-1], *([middle] if (dated[-1] - dated[0]).days >= 4 else [])})
