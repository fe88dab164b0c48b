"""Phone numbers as people type them, into E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import NumberParseException, PhoneNumberFormat, region_code_for_number

EXPECTED = "Use the international form with the country code, e.g. {example}."


def _example(region: str) -> str:
    number = phonenumbers.example_number_for_type(
        region or "US", phonenumbers.PhoneNumberType.MOBILE
    )
    return (
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        if number
        else "+1 201 555 0123"
    )


def to_e164(raw: str, default_region: str = "") -> str:
    """Parse a typed number (default region = the agency's country) or raise a clear
    ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    hint = EXPECTED.format(example=_example(default_region))
    try:
        number = phonenumbers.parse(raw, default_region or None)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError(f"“{raw}” has no country code we recognise. {hint}") from exc
        raise ValidationError(f"“{raw}” is not a phone number. {hint}") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"“{raw}” has too few or too many digits for its country. {hint}")
    if not phonenumbers.is_valid_number(number):
        region = region_code_for_number(number) or phonenumbers.region_code_for_country_code(
            number.country_code
        )
        raise ValidationError(f"“{raw}” is not a valid number in {region}. {hint}")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def international(e164: str) -> str:
    """An E.164 number as the phone fields ask for it, with its country code ("+44 7400 123456");
    "" for anything that is not a number."""
    try:
        number = phonenumbers.parse(e164)
    except NumberParseException:
        return ""
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def search_digits(typed: str) -> str:
    """The digits a typed number shares with its E.164 form, whether it was typed nationally
    ("07400 123456") or internationally: the last nine (national prefixes are one or two digits)."""
    return "".join(ch for ch in typed if ch.isdigit())[-9:]


def region_of(e164: str) -> str:
    """The ISO country of an E.164 number ('' when unknown)."""
    try:
        return region_code_for_number(phonenumbers.parse(e164)) or ""
    except NumberParseException:
        return ""
