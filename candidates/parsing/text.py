"""Cleaning extracted text: icon glyphs, (cid:N) tokens, invisible characters, spacing; bullets."""

import re
import unicodedata

ICON_GLYPHS = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
CID_TOKEN = re.compile(r"\(cid:\d+\)")
URI_PREFIX = re.compile(r"\b(?:mailto|tel|callto):\s*", re.IGNORECASE)
SPACE_LIKE = dict.fromkeys(
    map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\t"), " "
)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# C0 controls other than tab and newlines; PostgreSQL text columns refuse NUL in particular.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Some fonts map their visible dash to U+00AD; standing between spaces it is a dash, not a hint.
SPACED_SOFT_HYPHEN = re.compile(r"(?<=\s)\u00ad(?=\s)")
RUNS_OF_SPACES = re.compile(r" {2,}")
RUNS_OF_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Drop icon glyphs, (cid:N) tokens, soft hyphens and URI prefixes; normalise spacing."""
    text = unicodedata.normalize("NFC", text).translate(SPACE_LIKE)
    text = SPACED_SOFT_HYPHEN.sub("-", text).translate(INVISIBLE)
    text = CID_TOKEN.sub(" ", text)
    text = ICON_GLYPHS.sub(" ", text)
    text = URI_PREFIX.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    lines = (RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return RUNS_OF_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


BULLET_PREFIX = re.compile(r"^[•◦▪▫■□●○◆◇►▸‣⁃∙·*–—\-]+\s*")


def strip_bullet(line: str) -> str:
    return BULLET_PREFIX.sub("", line).strip()
