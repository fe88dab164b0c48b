import pytest
from django.template.defaultfilters import linebreaksbr, urlize

from messaging.templatetags.message_text import message_text

SAMPLES = [
    "Plain words, a full stop. And <b>tags</b> & entities &amp; too.",
    "Two lines\nand a third\r\nhere",
    "See https://example.com/jobs?id=1&x=2 today",
    "http://localhost:8000/x",
    "Write to jane.doe@example.org or visit www.example.net.",
    "Bare domain example.com/path and EXAMPLE.ORG",
    '<script>alert(1)</script> <a href="javascript:alert(2)">x</a> javascript:alert(3)',
    "Version 2.0 of the C.V. is in the U.K. folder; int. rate 3.5",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_it_renders_exactly_as_urlize_then_linebreaksbr(text):
    assert message_text(text) == linebreaksbr(urlize(text, autoescape=True), autoescape=True)


def test_text_without_links_skips_urlize(monkeypatch):
    monkeypatch.setattr("messaging.templatetags.message_text.urlize", None)
    assert message_text("No <links> here.\nBye") == "No &lt;links&gt; here.<br>Bye"
