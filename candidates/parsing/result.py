"""What parsing returns (ParsedResume) or raises (ParseError)."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


class ParseError(Exception):
    """A resume that cannot be parsed; `reason` is short and safe to show to the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


EXPERIENCE_KEYS = ("employer", "title", "start", "end")


@dataclass
class ParsedResume:
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ParsedResume":
        values: dict[str, Any] = {
            f.name: str(data.get(f.name) or "") for f in fields(cls) if f.name != "experience"
        }
        values["experience"] = [
            {key: str(entry.get(key) or "") for key in EXPERIENCE_KEYS}
            for entry in data.get("experience") or []
            if isinstance(entry, Mapping)
        ]
        return cls(**values)
