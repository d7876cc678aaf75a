"""Browser fixtures shared by every page test (defined with the chat page tests, which came first)."""

from tests.browser.test_chat_page import base_url, browser, chat, chromium, clock  # noqa: F401
