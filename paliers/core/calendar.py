"""The school year: 1 September to 31 August, written « 2026-2027»."""

import datetime


def school_year_start(day):
    """The year its school year began: 2026 for 4 December 2026 and for 31 August 2027."""
    return day.year if day.month >= 9 else day.year - 1


def school_year(day, shift=0):
    """« 2026-2027 » for a day of that school year; shift=-1 the year before, 1 the next."""
    start = school_year_start(day) + shift
    return f"{start}-{start + 1}"


def school_year_bounds(year):
    """« 2026-2027 » → (1 September 2026, 31 August 2027)."""
    start = int(year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)
