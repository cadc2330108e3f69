"""Ed25519 key that signs audit checkpoints. It lives in a file outside the database (FAZHI_AUDIT_KEY_FILE):
an insider who rewrites the log and recomputes every hash still cannot sign the new roots.

Key rotation (the TUF root rotation / CT log key rollover idea): `rotate(tree_size, root)` makes a new key; the
old key signs a rotation statement naming the new public key and the log state at that moment (tree size and
root), the new key signs the checkpoint there, and the old private key is destroyed. The public keys live in a
keyring file next to the key (`<key file>.keyring.json`, outside the database too): each key with the window of
tree sizes it signs (`from_size` … `until_size`, both inclusive: at a rotation point both keys are valid) and the
endorsement by its predecessor. A checkpoint verifies only with the key valid at its size; the keyring checks
itself from its first key (whose fingerprint was published) through every endorsement."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
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


def _load_private(path: Path) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def private_key() -> Ed25519PrivateKey:
    ensure_key()
    _finish_rotation()
    return _load_private(key_path())


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_bytes() -> bytes:
    return _raw(private_key())


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


# --- Key rotation and the keyring --------------------------------------------------------------------------------

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()  # RFC 6962 root of the empty tree


class KeyringError(Exception):
    """The keyring file or the key file is not in a state the signer can use (message in Chinese)."""


@dataclass(frozen=True)
class KeyRecord:
    public_key: bytes
    from_size: int  # first tree size this key signs (inclusive)
    until_size: int | None  # last tree size it signs (inclusive); None for the current key
    root_hash: str = ""  # log root at from_size (what the predecessor endorsed); "" for the first key
    endorsement: str = ""  # predecessor's signature over rotation_message(from_size, root_hash, public_key)
    created_at: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def covers(self, tree_size: int) -> bool:
        return self.from_size <= tree_size and (self.until_size is None or tree_size <= self.until_size)

    def window(self) -> str:
        return f"前{self.from_size}条起" + (f"至前{self.until_size}条" if self.until_size is not None else "至今")

    def as_dict(self) -> dict:
        return {"public_key": base64.b64encode(self.public_key).decode(), "key_fingerprint": self.fingerprint,
                "from_size": self.from_size, "until_size": self.until_size, "root_hash": self.root_hash,
                "endorsement": self.endorsement, "created_at": self.created_at}

    @classmethod
    def from_dict(cls, d: dict) -> KeyRecord:
        return cls(base64.b64decode(d["public_key"], validate=True), int(d["from_size"]),
                   None if d.get("until_size") is None else int(d["until_size"]), str(d.get("root_hash") or ""),
                   str(d.get("endorsement") or ""), str(d.get("created_at") or ""))


def keyring_path() -> Path:
    if configured := getattr(settings, "FAZHI_AUDIT_KEYRING_FILE", ""):
        return Path(configured)
    return key_path().with_name(key_path().name + ".keyring.json")


def _pending_path() -> Path:
    return key_path().with_name(key_path().name + ".new")


def rotation_message(tree_size: int, root_hex: str, new_public_key: bytes) -> bytes:
    """What the outgoing key signs: it hands over to this public key at this log state."""
    new = base64.b64encode(new_public_key).decode()
    return f"{ORIGIN}\nkey-rotation\n{tree_size}\n{root_hex}\n{new}\n".encode()


def verify_signature(public_key: bytes, signature_b64: str, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _read_keyring_file() -> list[KeyRecord] | None:
    path = keyring_path()
    if not path.exists():
        return None
    try:
        return [KeyRecord.from_dict(d) for d in json.loads(path.read_text(encoding="utf-8"))["keys"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise KeyringError(f"签名密钥环文件 {path} 无法读取：{e}") from None


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_keyring(records: list[KeyRecord]) -> None:
    body = {"origin": ORIGIN, "note": "审计签名公钥环：每把密钥签名的检查点范围（条目数）及上一把密钥的交接签名。",
            "keys": [r.as_dict() for r in records]}
    _write_atomic(keyring_path(), json.dumps(body, ensure_ascii=False, indent=1).encode(), 0o644)


def _finish_rotation() -> None:
    """A rotation interrupted after the keyring named the new key but before the key file was replaced: finish it
    (the new key is in `<key>.new`). Idempotent; another process may finish it first."""
    pending = _pending_path()
    if not pending.exists():
        return
    records = _read_keyring_file()
    try:
        new_fp = fingerprint(_raw(_load_private(pending)))
    except (OSError, ValueError):
        return
    if records and records[-1].fingerprint == new_fp:
        try:
            os.replace(pending, key_path())
        except FileNotFoundError:
            pass  # finished by another process
    else:  # the rotation never reached the keyring: it did not happen
        pending.unlink(missing_ok=True)


def keyring() -> list[KeyRecord]:
    """Every key that ever signed checkpoints, oldest first. Before the first rotation there is no keyring file:
    the current key alone, valid from the first entry."""
    current = public_key_bytes()
    records = _read_keyring_file()
    if records is None:
        return [KeyRecord(current, 0, None)]
    if not records or records[-1].public_key != current:
        raise KeyringError(f"签名密钥环 {keyring_path()} 的当前密钥与密钥文件 {key_path()} 不符：密钥文件被更换，"
                           "或密钥环被改动。")
    return records


def keyring_problems(records: list[KeyRecord]) -> list[str]:
    """The keyring checks itself: windows follow one another and every key is endorsed by its predecessor."""
    problems = []
    if records[0].from_size != 0 or records[0].endorsement:
        problems.append("密钥环的第一把密钥不是从第一条记录起生效的。")
    for i, (old, new) in enumerate(zip(records, records[1:], strict=False), start=2):
        if old.until_size != new.from_size:
            problems.append(f"密钥环第{i}把密钥的生效点（前{new.from_size}条）与上一把密钥的失效点不一致。")
        elif not verify_signature(old.public_key, new.endorsement, rotation_message(new.from_size, new.root_hash,
                                                                                new.public_key)):
            problems.append(f"密钥环第{i}把密钥（指纹 {new.fingerprint[:16]}…）没有上一把密钥的有效交接签名："
                            "密钥环被改动。")
    if records[-1].until_size is not None:
        problems.append("密钥环中没有当前密钥。")
    return problems


def verify_checkpoint(records: list[KeyRecord], tree_size: int, root_hex: str, signature_b64: str,
                      key_fp: str) -> str:
    """"" when the checkpoint is signed by the key valid at its size, else the reason in Chinese."""
    record = next((r for r in records if r.fingerprint == key_fp), None)
    if record is None:
        candidates = [r for r in records if r.covers(tree_size)] if not key_fp else []
        if not any(verify_signature(r.public_key, signature_b64, message(tree_size, root_hex)) for r in candidates):
            shown = f"（指纹 {key_fp[:16]}…）" if key_fp else ""
            return (f"检查点（前{tree_size}条）的签名无效：由未知的密钥{shown}签名，不在签名密钥环中，"
                    "检查点被伪造，或签名密钥已被更换。")
        return ""
    if not record.covers(tree_size):
        return (f"检查点（前{tree_size}条）由密钥（指纹 {key_fp[:16]}…）签名，而该密钥只对{record.window()}的检查点"
                "有效：检查点被伪造，或用已停用的密钥签名。")
    if not verify_signature(record.public_key, signature_b64, message(tree_size, root_hex)):
        return f"检查点（前{tree_size}条）的签名无效：检查点被伪造，或签名密钥已被更换。"
    return ""


@dataclass(frozen=True)
class Rotation:
    old: KeyRecord
    new: KeyRecord
    checkpoint_signature: str  # new key's signature over message(tree_size, root)


def rotate(tree_size: int, root_hex: str) -> tuple[Rotation, list[KeyRecord]]:
    """Make the new key (into `<key>.new`, 0600) and write the keyring that hands over to it at `tree_size`.
    The caller stores the rotation checkpoint, then calls `finish_rotation()` (or `abort_rotation(previous)`).
    Returns the rotation and the previous keyring file's records (None when there was no file), for the abort."""
    records = keyring()
    problems = keyring_problems(records)
    if problems:
        raise KeyringError("签名密钥环有问题，不能轮换：" + "；".join(problems))
    old_key, current = _load_private(key_path()), records[-1]
    if tree_size < current.from_size:
        raise KeyringError(f"当前密钥从前{current.from_size}条起生效，不能在前{tree_size}条处轮换。")
    new_key = Ed25519PrivateKey.generate()
    new_pub = _raw(new_key)
    pem = new_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    _write_atomic(_pending_path(), pem, 0o600)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    old = KeyRecord(current.public_key, current.from_size, tree_size, current.root_hash, current.endorsement,
                    current.created_at)
    endorsement = base64.b64encode(old_key.sign(rotation_message(tree_size, root_hex, new_pub))).decode()
    new = KeyRecord(new_pub, tree_size, None, root_hex, endorsement, now)
    previous = _read_keyring_file()
    write_keyring([*records[:-1], old, new])
    signature = base64.b64encode(new_key.sign(message(tree_size, root_hex))).decode()
    return Rotation(old, new, signature), previous


def finish_rotation() -> None:
    _finish_rotation()


def abort_rotation(previous: list[KeyRecord] | None) -> None:
    """Undo `rotate` before the key file was replaced: the old key and keyring stay in force. When another process
    already finished the rotation (the new key is in place), it stands: the old key's window still covers every
    checkpoint it signed."""
    if not _pending_path().exists():
        return
    if previous is None:
        keyring_path().unlink(missing_ok=True)
    else:
        write_keyring(previous)
    _pending_path().unlink(missing_ok=True)


def keyring_export() -> list[dict]:
    return [r.as_dict() for r in keyring()]
