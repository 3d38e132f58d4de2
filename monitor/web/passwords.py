"""Argon2 password hashes; no web imports, so the `nianbao user` command can use it."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from nianbao.errors import NianbaoError

MIN_LENGTH = 8
_HASHER = PasswordHasher()
# Verifying against this when the account is unknown keeps response times alike.
_DUMMY_HASH = _HASHER.hash("nianbao-dummy-password")


class WeakPassword(NianbaoError):
    """A password that is too short to accept."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 个字符")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an absent or malformed hash never matches."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def hash_tag(password_hash: str | None) -> str:
    """A short fingerprint of the hash kept in the session: changing the password ends other sessions."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]
