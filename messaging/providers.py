"""Text message providers, chosen by settings.TEXTING_PROVIDER like Django's email backends.

TwilioProvider sends for real; ConsoleProvider prints (development, `make run`); InMemoryProvider
keeps what it was asked to send (tests). No test and no `make run` ever reaches a real provider.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class TransientError(Exception):
    """The provider may accept the same message later (timeouts, 5xx, rate limits): retry."""


class PermanentError(Exception):
    """The provider refuses this message for good (invalid number, blocked): do not retry."""


@dataclass
class OutboundText:
    channel: str  # "sms" or "whatsapp"
    from_number: str
    to_number: str
    body: str
    status_callback: str
    template_variables: dict = field(
        default_factory=dict
    )  # set: send the approved WhatsApp template


class TwilioProvider:
    def __init__(self, http_client=None):
        """`http_client` is the twilio library's own hook (a `twilio.http.HttpClient`); None is
        its default, a real HTTPS client. Tests pass one that answers with recorded responses."""
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client
        )

    @staticmethod
    def _address(channel: str, number: str) -> str:
        return f"whatsapp:{number}" if channel == "whatsapp" else number

    def send(self, text: OutboundText) -> str:
        from twilio.base.exceptions import (
            TwilioException,
            TwilioRestException,
            TwilioServiceException,
        )

        options = {
            "from_": self._address(text.channel, text.from_number),
            "to": self._address(text.channel, text.to_number),
            "status_callback": text.status_callback,
        }
        if text.template_variables:
            options["content_sid"] = settings.TWILIO_WHATSAPP_TEMPLATE_SID
            options["content_variables"] = json.dumps(text.template_variables)
        else:
            options["body"] = text.body
        try:
            return self.client.messages.create(**options).sid
        except TwilioRestException as exc:
            raise _classified(exc.status, exc.msg, exc.code) from exc
        except TwilioServiceException as exc:  # an answer in RFC 9457 problem-details form
            reason = f"{exc.title}: {exc.detail}" if exc.detail else exc.title
            raise _classified(exc.status, reason, exc.code) from exc
        except (TwilioException, OSError) as exc:  # connection errors and timeouts
            raise TransientError(str(exc)) from exc


def _classified(status: int, reason: str, code) -> TransientError | PermanentError:
    """Rate limits and server errors may pass; any other refusal is for good."""
    if status == 429 or status >= 500:
        return TransientError(reason)
    return PermanentError(f"{reason} (Twilio error {code})")


class ConsoleProvider:
    """Prints each text; the texting console page simulates the candidate's side."""

    def send(self, text: OutboundText) -> str:
        import uuid

        sid = f"SMconsole{uuid.uuid4().hex}"
        print(
            f"[texting] {text.channel} {text.from_number} -> {text.to_number} ({sid}): {text.body}",
            flush=True,
        )
        return sid


class InMemoryProvider:
    """Records every text in `outbox`; tests set `fail_with` to make the next sends raise."""

    outbox: list[OutboundText] = []
    fail_with: list[Exception] = []

    def send(self, text: OutboundText) -> str:
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.outbox.append(text)
        return f"SMtest{len(self.outbox):06d}"


@cache
def _provider_class(path: str):
    return import_string(path)


def get_provider():
    return _provider_class(settings.TEXTING_PROVIDER)()
