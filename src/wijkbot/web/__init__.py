"""The HTTP side: the aiohttp application, security headers, the chat page and health checks."""
