"""The outbox: every e-mail Dichtbij sends (DESIGN §3 side effects, §4.8).

A service writes a ``Message`` row in its own transaction (``services.message_write``); after
commit a task sends what is due (``services.messages_send``) with retries and backoff, so a change
is never lost and, thanks to the unique key, never sent twice. ``sending`` builds the e-mail.
"""
