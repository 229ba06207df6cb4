"""Date arithmetic that stays inside the calendar Python can hold (years 1 to 9999).

A publication date of 0001-01-01 or 9999-12-31 is odd but legal input: "last
week" or "a day later" then lands outside `datetime.date`'s range, where plain
`date ± timedelta` raises OverflowError. Here such a result is None, "no date
this expression can name", so the caller drops one value instead of the
document; comparisons that only need a bound clamp to the calendar's ends.
"""

from __future__ import annotations

from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = date.min.year, date.max.year


def shift_days(day: date, days: int) -> date | None:
    """`day` moved by `days`, or None when that falls off either end of the calendar."""
    ordinal = day.toordinal() + days
    if ordinal < date.min.toordinal() or ordinal > date.max.toordinal():
        return None
    return date.fromordinal(ordinal)


def shift_days_clamped(day: date, days: int) -> date:
    """`day` moved by `days`, stopped at the calendar's first or last day: for bounds, not for values."""
    ordinal = min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal())
    return date.fromordinal(ordinal)


def week_of(day: date, weeks: int = 0) -> tuple[date, date] | None:
    """Monday and Sunday of the week `weeks` away from `day`'s, or None if it is not whole in the calendar."""
    monday = shift_days(day, 7 * weeks - day.weekday())
    sunday = shift_days(monday, 6) if monday else None
    return (monday, sunday) if monday and sunday else None


def year_value(year: int) -> str | None:
    """The ISO year text ("0001" … "9999"), or None for a year the calendar has no place for."""
    return f"{year:04d}" if FIRST_YEAR <= year <= LAST_YEAR else None


def month_value(year: int, month: int) -> str | None:
    """The ISO month text ("2013-05"), or None outside years 1 to 9999."""
    text = year_value(year)
    return f"{text}-{month:02d}" if text else None
