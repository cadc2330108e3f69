"""Ed25519 key that signs audit checkpoints. It lives in a file outside the database (FAZHI_AUDIT_KEY_FILE):
an insider who rewrites the log and recomputes every hash still cannot sign the new roots."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ORIGIN = "fazhi-audit-log/v1"


def key_path() -> Path:
    return Path(settings.FAZHI_AUDIT_KEY_FILE)


def ensure_key() -> bool:
    """Create the signing key (mode 0600) when absent. Returns True when a key was created."""
    path = key_path()
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return True


def private_key() -> Ed25519PrivateKey:
    ensure_key()
    return serialization.load_pem_private_key(key_path().read_bytes(), password=None)


def public_key_bytes() -> bytes:
    return private_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64() -> str:
    return base64.b64encode(public_key_bytes()).decode()


def fingerprint(public_key: bytes | None = None) -> str:
    """SHA-256 of the raw 32-byte public key, hex (what the annual report prints)."""
    return hashlib.sha256(public_key if public_key is not None else public_key_bytes()).hexdigest()


def message(tree_size: int, root_hex: str) -> bytes:
    """The signed text: origin, tree size and root, one per line (a C2SP-style checkpoint body)."""
    return f"{ORIGIN}\n{tree_size}\n{root_hex}\n".encode()


def sign(tree_size: int, root_hex: str) -> str:
    return base64.b64encode(private_key().sign(message(tree_size, root_hex))).decode()


def verify(tree_size: int, root_hex: str, signature_b64: str, public_key: bytes | None = None) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key if public_key is not None else public_key_bytes())
        key.verify(base64.b64decode(signature_b64, validate=True), message(tree_size, root_hex))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
