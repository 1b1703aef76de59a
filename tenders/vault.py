"""The vault's cryptography (DESIGN §4.5): what a firm submits is sealed with ``VAULT_KEY``.

``VAULT_KEY`` holds one secret, or several separated by commas for key rotation: the first seals,
every one of them unseals, and ``rotate_vault_key`` re-seals everything with the first. Each secret
is stretched into a Fernet key (AES-128-CBC + HMAC-SHA256) with HKDF, so any long random string
works as a secret.

This module only seals and unseals bytes. *When* unsealing is allowed (after the deadline, after a
four-eyes opening) is decided by ``tenders.selectors.vault``; nothing else may call
``unseal``.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "VaultKeyError", "rotate", "seal", "seal_json", "unseal", "unseal_json"]

HKDF_INFO = b"dichtbij vault v1"


class VaultKeyError(ImproperlyConfigured):
    """VAULT_KEY is missing, or no key in it opens a sealed value."""


def _fernet_key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


@lru_cache(maxsize=4)
def _fernet(vault_key: str) -> MultiFernet:
    secrets = [part.strip() for part in vault_key.split(",") if part.strip()]
    if not secrets:
        raise VaultKeyError("VAULT_KEY is empty.")
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def _keys() -> MultiFernet:
    return _fernet(settings.VAULT_KEY or "")


def seal(data: bytes) -> bytes:
    """Encrypt with the current key; the result is opaque bytes (a Fernet token)."""
    return _keys().encrypt(data)


def unseal(token: bytes) -> bytes:
    """Decrypt with any configured key; raises ``VaultKeyError`` when none fits."""
    try:
        return _keys().decrypt(bytes(token))
    except InvalidToken as error:
        raise VaultKeyError("No key in VAULT_KEY opens this sealed value.") from error


def rotate(token: bytes) -> bytes:
    """Re-seal with the current (first) key; the old key may then be removed from VAULT_KEY."""
    try:
        return _keys().rotate(bytes(token))
    except InvalidToken as error:
        raise VaultKeyError("No key in VAULT_KEY opens this sealed value.") from error


def seal_json(value: Any) -> bytes:
    return seal(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


def unseal_json(token: bytes) -> Any:
    return json.loads(unseal(token))
