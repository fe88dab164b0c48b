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
LIGATURES = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
}
# "E X P E R I E N C E", "C O N TAC T": runs of short letter groups, mostly single letters.
LETTER_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_]{1,3} ){2,}[^\W\d_]{1,3}(?!\S)")
RUNS_OF_SPACES = re.compile(r" {2,}")
RUNS_OF_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Drop icon glyphs, (cid:N) tokens, soft hyphens and URI prefixes; undo ligatures and
    letter-spacing; normalise spacing."""
    text = unicodedata.normalize("NFC", text).translate(SPACE_LIKE).translate(LIGATURES)
    text = SPACED_SOFT_HYPHEN.sub("-", text).translate(INVISIBLE)
    text = CID_TOKEN.sub(" ", text)
    text = ICON_GLYPHS.sub(" ", text)
    text = URI_PREFIX.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    lines = (
        RUNS_OF_SPACES.sub(" ", join_letter_spacing(line)).strip() for line in text.split("\n")
    )
    return RUNS_OF_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def join_letter_spacing(line: str) -> str:
    """ "E X P E R I E N C E" -> "EXPERIENCE"; words set apart by wider gaps stay apart."""
    return LETTER_SPACED.sub(joined_if_letter_spaced, line)


def joined_if_letter_spaced(match: re.Match) -> str:
    groups = match.group().split(" ")
    singles = sum(1 for group in groups if len(group) == 1)
    if singles >= 3 and 3 * singles >= 2 * len(groups):
        return "".join(groups)
    return match.group()


BULLET_PREFIX = re.compile(r"^[•◦▪▫■□●○◆◇►▸‣⁃∙·*–—\-]+\s*")


def strip_bullet(line: str) -> str:
    return BULLET_PREFIX.sub("", line).strip()
