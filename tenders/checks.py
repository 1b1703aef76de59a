"""System checks of the tenders app: ``check --deploy`` refuses a weak VAULT_KEY (issue 17.8)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.checks import Error

MIN_KEY_BYTES = 32
HOW_TO_MAKE_ONE = (
    'Make one with: python -c "import secrets; print(secrets.token_urlsafe(32))" and set '
    "VAULT_KEY to it (for rotation: VAULT_KEY=new,old)."
)


def key_bytes(secret: str) -> int:
    """How many random bytes a secret holds, as far as can be told: the length of what it
    decodes to as base64 or hex, else a rough count for a long random-looking text."""
    for decode in (base64.urlsafe_b64decode, base64.b64decode, bytes.fromhex):
        try:
            raw = decode(
                secret + "=" * (-len(secret) % 4) if decode is not bytes.fromhex else secret
            )
        except (binascii.Error, ValueError):
            continue
        if len(set(raw)) > len(raw) // 4:
            return len(raw)
    # Printable text carries at most about 6 bits a character, less when characters repeat.
    return len(secret) * 6 // 8 if len(set(secret)) >= 16 else 0


def vault_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    secrets = [part.strip() for part in (settings.VAULT_KEY or "").split(",") if part.strip()]
    if not secrets:
        return [Error("VAULT_KEY is not set.", hint=HOW_TO_MAKE_ONE, id="tenders.E001")]
    weak = [n for n, secret in enumerate(secrets, 1) if key_bytes(secret) < MIN_KEY_BYTES]
    if not weak:
        return []
    which = ", ".join(str(n) for n in weak)
    return [
        Error(
            f"VAULT_KEY holds fewer than {MIN_KEY_BYTES} random bytes (key {which}): sealed "
            "quotes would be easy to open.",
            hint=HOW_TO_MAKE_ONE,
            id="tenders.E002",
        )
    ]
