"""Production settings for the local scan (tests/security/scan.py) and nothing else.

One difference that matters: the session and CSRF cookies go over plain HTTP, because nothing
terminates TLS on 127.0.0.1 and a scanner, like a browser, never sends a Secure cookie over http://
(the CSRF check would then refuse every form it fills in). Production keeps both cookies Secure
whenever DEBUG is off (recruitment/settings.py; tests/recruitment/test_settings.py runs
`check --deploy` on it). Static files are collected under .run/scan/ instead of the project's top.
"""

from recruitment.settings import *  # noqa: F403
from recruitment.settings import BASE_DIR

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STATIC_ROOT = BASE_DIR / ".run" / "scan" / "static"
