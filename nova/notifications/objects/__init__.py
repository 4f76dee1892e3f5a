"""Versioned notification objects: envelopes and payloads.

They are registered with ``NovaObjectRegistry.register_notification`` so they
stay out of the RPC object registry (they never travel as RPC arguments) and
have their own fingerprint test in tests/unit/notifications.
"""
