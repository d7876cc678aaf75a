"""Thin, symmetrical channel adapters: wire format -> InboundMessage, OutboundMessage -> wire format.

Channels never import services or storage: they receive an `on_message` callable (and, for the web chat,
a `history` callable) from the composition root.
"""
