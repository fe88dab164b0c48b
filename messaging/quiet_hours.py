"""Quiet hours: whether it is night where a candidate's number may be, and when their morning
comes. A text at night waits for the sender to confirm, or for 8:00 their time (QUIET_HOURS)."""

import contextlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.conf import settings
from django.utils import dateformat, timezone
from phonenumbers import timezone as phone_timezones


class QuietHours(Exception):
    """It is night for the candidate: the sender must confirm or schedule for the morning.

    `local_times`: the time now in each zone the number may be in (one per UTC offset, westernmost
    first); `morning`: when to send instead, in the zone whose 8:00 it is."""

    def __init__(self, local_times: list[datetime], morning: datetime):
        self.local_times, self.morning = local_times, morning
        super().__init__(f"It is {self.local_label} for the candidate.")

    @property
    def local_label(self) -> str:
        """ "03:00 ACDT", or "between 00:30 AWST and 03:00 ACDT" for a number of several zones."""
        labels = [dateformat.format(local, "H:i T") for local in self.local_times]
        return labels[0] if len(labels) == 1 else f"between {labels[0]} and {labels[-1]}"

    @property
    def morning_label(self) -> str:
        return dateformat.format(self.morning, "D H:i T")

    @property
    def window_label(self) -> str:
        start, end = settings.QUIET_HOURS
        return f"{start}:00–{end}:00"


def _zones(phone: str) -> list[ZoneInfo]:
    """The time zones a number may be in, from its area code where it has one: one for most
    numbers, two for +61 8 (Adelaide and Perth), every Australian zone for a mobile, 42 for a
    +1 800 number; none when phonenumbers cannot tell."""
    zones = []
    for name in phone_timezones.time_zones_for_number(phonenumbers.parse(phone)):
        with contextlib.suppress(ValueError, ZoneInfoNotFoundError):  # "Etc/Unknown"
            zones.append(ZoneInfo(name))
    return zones


def local_times(phone: str, now: datetime | None = None) -> list[datetime]:
    """The time now where the candidate may be: one per UTC offset of the number's zones,
    westernmost first ([] when unknown)."""
    now = now or timezone.now()
    by_offset = {}
    for zone in _zones(phone):
        local = now.astimezone(zone)
        by_offset.setdefault(local.utcoffset(), local)
    return [by_offset[offset] for offset in sorted(by_offset)]


def scheduled_clock(phone: str, moment: datetime) -> datetime:
    """A morning chosen by `_next_morning`, on the clock of the zone whose 8:00 it is (the
    site's zone when the number's is unknown)."""
    clocks = local_times(phone, moment) or [timezone.localtime(moment)]
    start, _end = settings.QUIET_HOURS
    return next((c for c in clocks if (c.hour, c.minute) == (start, 0)), clocks[-1])


def _daytime(moment: datetime, zone: ZoneInfo) -> bool:
    start, end = settings.QUIET_HOURS
    return start <= moment.astimezone(zone).hour < end


def quiet_hours_check(phone: str, now: datetime | None = None) -> None:
    """Raise QuietHours when it is night (outside QUIET_HOURS) in any zone the number may be in:
    for a number of several zones we cannot tell which, so none of them is woken. Nothing to
    go by (an unknown zone) asks nothing."""
    now = now or timezone.now()
    zones = _zones(phone)
    if all(_daytime(now, zone) for zone in zones):
        return
    raise QuietHours(local_times(phone, now), _next_morning(zones, now))


def _next_morning(zones: list[ZoneInfo], now: datetime) -> datetime:
    """The first of the zones' coming 8:00s at which the most of them are in daytime: all of
    them whenever their days overlap (a spread of up to 12 hours). The 8:00 is wall-clock time,
    so a DST change in the night moves it with the clocks."""
    start, _end = settings.QUIET_HOURS
    mornings = []
    for zone in zones:
        today = now.astimezone(zone)
        # not mutated: a fourth day's mornings score as the third's, and the earliest best wins
        for days in range(3):  # pragma: no mutate
            morning = (today + timedelta(days=days)).replace(
                hour=start, minute=0, second=0, microsecond=0
            )
            # not mutated: at 8:00 sharp it is daytime, so no morning is asked for then
            if morning.timestamp() > now.timestamp():  # pragma: no mutate
                mornings.append(morning)
    # not mutated: the aware datetimes sort alike by themselves, as no 8:00 is ever ambiguous
    mornings.sort(key=datetime.timestamp)  # pragma: no mutate
    return max(mornings, key=lambda morning: sum(_daytime(morning, zone) for zone in zones))
