"""What parsing returns (ParsedResume) or raises (ParseError)."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


class ParseError(Exception):
    """A resume that cannot be parsed; `reason` is short and safe to show to the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


EXPERIENCE_KEYS = ("employer", "title", "start", "end", "description")
EDUCATION_KEYS = ("institution", "degree", "start", "end")


@dataclass
class ParsedResume:
    """The fields read from a resume; every value is a plain string or a list of them (JSON-ready).

    - full_name, first_name, last_name, email; phone in E.164 ("" unless valid) and
      phone_as_printed as the resume prints it (also when invalid).
    - summary: the Summary/Profile section or the first prose, at most 600 characters;
      education_summary: the Education section's first lines as text (kept for older pages).
    - experience: entries newest first as printed, each {employer, title, start, end,
      description}; start and end are printed dates ("03/2019", "März 2019", "heute"),
      candidates.parsing.dates.normalise_date reads them as "2019-03", "2019" or "present";
      description holds the entry's bullets and prose, one a line.
    - education: entries {institution, degree, start, end}, dates as in experience.
    - skills and languages: the items a Skills or Languages section lists, languages without
      their level ("Deutsch (Muttersprache)" -> "Deutsch").
    - text: the whole extracted, cleaned text.
    """

    text: str = ""
    full_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    phone_as_printed: str = ""
    summary: str = ""
    education_summary: str = ""
    experience: list[dict[str, str]] = field(default_factory=list)
    education: list[dict[str, str]] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ParsedResume":
        lists = {"experience", "education", "skills", "languages"}
        values: dict[str, Any] = {
            f.name: str(data.get(f.name) or "") for f in fields(cls) if f.name not in lists
        }
        values["experience"] = entries(data.get("experience"), EXPERIENCE_KEYS)
        values["education"] = entries(data.get("education"), EDUCATION_KEYS)
        for name in ("skills", "languages"):
            items = data.get(name)
            values[name] = (
                [i for i in items if isinstance(i, str)] if isinstance(items, list) else []
            )
        return cls(**values)


def entries(value: Any, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Entries with exactly `keys`, as strings; anything that is not a mapping is dropped."""
    if not isinstance(value, list):
        return []
    return [
        {key: str(entry.get(key) or "") for key in keys}
        for entry in value
        if isinstance(entry, Mapping)
    ]
