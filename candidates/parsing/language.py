"""The language a resume is written in, from its common words (English unless another leads)."""

import re

# Words common in resumes of each language, by Tesseract's language names.
LANGUAGE_WORDS = {
    "deu": {
        "und",
        "der",
        "die",
        "das",
        "mit",
        "für",
        "bei",
        "seit",
        "bis",
        "heute",
        "berufserfahrung",
        "ausbildung",
        "kenntnisse",
        "sprachen",
        "studium",
    },
    "fra": {
        "et",
        "le",
        "la",
        "les",
        "des",
        "du",
        "pour",
        "avec",
        "depuis",
        "expérience",
        "formation",
        "compétences",
        "langues",
        "professionnelle",
    },
    "spa": {
        "y",
        "el",
        "los",
        "las",
        "del",
        "para",
        "con",
        "experiencia",
        "formación",
        "educación",
        "habilidades",
        "idiomas",
        "actualidad",
    },
    "nld": {
        "het",
        "van",
        "een",
        "voor",
        "met",
        "bij",
        "werkervaring",
        "opleiding",
        "vaardigheden",
        "talen",
        "heden",
    },
    "eng": {
        "and",
        "the",
        "of",
        "for",
        "with",
        "at",
        "experience",
        "education",
        "skills",
        "languages",
        "present",
    },
}
WORD = re.compile(r"[^\W\d_]+")
MIN_COMMON_WORDS = 5


def common_words(text: str) -> dict[str, int]:
    """How many of each language's common words the text holds."""
    words = [word.lower() for word in WORD.findall(text)]
    return {
        language: sum(word in common for word in words)
        for language, common in LANGUAGE_WORDS.items()
    }


def guess_language(text: str) -> str:
    scores = common_words(text)
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] > scores["eng"] else "eng"


def written_in(text: str) -> str:
    """The text's language, or "" when it holds too few common words of any to tell."""
    scores = common_words(text)
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] >= MIN_COMMON_WORDS else ""
