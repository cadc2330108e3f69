"""Walk the chain once (linear time, constant memory) and name the first entry that was altered, deleted or
reordered; check every checkpoint's root, signature and consistency proof on the way, and, given an exported
signed root (`Anchor`), that today's log is a consistent extension of it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from fazhi.audit import signing
from fazhi.audit.merkle import CompactRange, ProofError, leaf_hash, verify_consistency
from fazhi.audit.models import GENESIS, AuditEntry, AuditHead, Checkpoint
from fazhi.audit.services import CANONICAL_FIELDS, canonical_values

CHUNK = 5000


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None
    root_hash: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Anchor:
    """A signed root published earlier (exported checkpoint file, portal, annual report appendix)."""

    tree_size: int
    root_hash: str
    signature: str = ""
    key_fingerprint: str = ""


class AnchorFileError(ValueError):
    pass


def _iter_rows(upto: int | None):
    """Entries as value tuples in seq order, in keyset pages: constant memory, no long-held cursor. Plain SQL
    (no ORM converters: they cost as much as the hashing); created_at and changes decoded here."""
    sha256, loads, utc, parse = hashlib.sha256, json.loads, dt.UTC, dt.datetime.fromisoformat
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(AuditEntry._meta.get_field(f.removesuffix("_id")).column
                                                  if f == "township_id" else f) for f in CANONICAL_FIELDS)
    sql = (f"SELECT {columns}, entry_hash FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT {CHUNK}")
    last, limit = 0, upto if upto is not None else 2**62
    while True:
        with connection.cursor() as cur:
            cur.execute(sql, [last, limit])
            rows = cur.fetchall()
        if not rows:
            return
        for row in rows:
            created = row[1]
            if isinstance(created, str):  # SQLite keeps UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]": isoformat by text
                created = (created.replace(" ", "T", 1) + "+00:00") if len(created) in (19, 26) \
                    else parse(created).replace(tzinfo=utc).isoformat()
            elif created.tzinfo is None:  # stored in UTC (USE_TZ)
                created = created.replace(tzinfo=utc).isoformat()
            else:
                created = created.astimezone(utc).isoformat()
            changes = row[9]
            if isinstance(changes, str):
                changes = loads(changes)
            values = (row[0], created, *row[2:9], changes, row[10], row[11])
            yield row, sha256(canonical_values(*values)).hexdigest()
        last = rows[-1][0]


def verify_chain(*, against: list[Anchor] | None = None) -> VerifyResult:
    anchors = sorted(against or [], key=lambda a: a.tree_size)
    head = AuditHead.objects.filter(pk=1).values_list("seq", "entry_hash").first()
    upto = head[0] if head else None  # entries appended while we walk are left for the next run
    checkpoints = list(Checkpoint.objects.order_by("tree_size").values_list(
        "tree_size", "root_hash", "signature", "key_fingerprint", "prev_size", "consistency_proof", "cosignatures"))
    try:
        ring = signing.keyring()
    except signing.KeyringError as e:
        return VerifyResult(False, 0, str(e))
    if problems := signing.keyring_problems(ring):
        return VerifyResult(False, 0, "；".join(problems))
    by_fp = {r.fingerprint: r for r in ring}
    # Sizes at which a computed root is needed, and what to compare there.
    wanted: dict[int, list] = {}
    for cp in checkpoints:
        wanted.setdefault(cp[0], []).append(("checkpoint", cp))
    for a in anchors:
        wanted.setdefault(a.tree_size, []).append(("anchor", a))
    for r in ring[1:]:  # each key rotation: the old key (outside the database) vouched for the root there
        if r.from_size:
            wanted.setdefault(r.from_size, []).append(("rotation", r))
    signed_sizes = [cp[0] for cp in checkpoints if cp[2]]
    first_signed = min(signed_sizes) if signed_sizes else None
    legacy = 0  # unsigned checkpoints from before signing existed: root checked, signature not required
    roots: dict[int, str] = {}
    last_good_anchor = 0
    expected_seq, prev, checked = 1, GENESIS, 0
    cr = CompactRange()

    def fail(problem: str, seq: int | None) -> VerifyResult:
        return VerifyResult(False, checked, problem, seq)

    for row, computed in _iter_rows(upto):
        seq, prev_hash, entry_hash = row[0], row[11], row[12]
        if seq != expected_seq:
            return fail(f"第{expected_seq}条审计记录缺失（被删除或序号被改动），其后出现的是第{seq}条。", expected_seq)
        if prev_hash != prev:
            return fail(f"第{seq}条审计记录的前序哈希与上一条不符：之前的记录被删除、替换或顺序被调换。", seq)
        if computed != entry_hash:
            return fail(f"第{seq}条审计记录的内容被篡改（哈希不符）。", seq)
        prev = entry_hash
        cr.append_leaf_hash(leaf_hash(bytes.fromhex(entry_hash)))
        checked += 1
        expected_seq += 1
        if seq in wanted:
            root = cr.root().hex()
            roots[seq] = root
            for kind, item in wanted.pop(seq):
                if kind == "anchor":
                    if item.root_hash != root:
                        where = (f"改动发生在第{last_good_anchor + 1}条至第{seq}条之间" if last_good_anchor
                                 else f"改动发生在前{seq}条之中")
                        return fail(f"现有日志与先前导出的签名根（前{seq}条，根哈希 {item.root_hash[:16]}…）不一致："
                                    f"记录被改写（即使其后的哈希与检查点都已重新计算），{where}。", None)
                    last_good_anchor = seq
                    continue
                if kind == "rotation":
                    if item.root_hash != root:
                        return fail(f"签名密钥轮换时（前{seq}条）旧密钥认可的根与现有记录不符：记录被改写"
                                    f"（改动发生在前{seq}条之中）。", None)
                    continue
                size, root_hash, signature, fp, prev_size, proof, cosignatures = item
                if root_hash != root:
                    return fail(f"检查点（前{size}条）的默克尔根与现有记录不符：记录被改写。", None)
                if not signature:
                    if first_signed is not None and size > first_signed:
                        return fail(f"检查点（前{size}条）没有签名，而更早的检查点已签名：签名被去掉。", None)
                    legacy += 1
                    continue
                if problem := signing.verify_checkpoint(ring, size, root_hash, signature, fp):
                    return fail(problem, None)
                for cosig in cosignatures or []:
                    old = by_fp.get(cosig.get("key_fingerprint"))
                    message = signing.rotation_message(size, root_hash, by_fp[fp].public_key) if fp in by_fp else b""
                    if old is None or not old.covers(size) or not signing.verify_signature(
                            old.public_key, cosig.get("signature", ""), message):
                        return fail(f"检查点（前{size}条）的轮换联署签名无效：不是上一把密钥对新密钥的交接签名。", None)
                if prev_size:
                    try:
                        verify_consistency(prev_size, size, bytes.fromhex(roots.get(prev_size, "")),
                                           bytes.fromhex(root), [bytes.fromhex(h) for h in proof])
                    except (ProofError, ValueError):
                        return fail(f"检查点（前{size}条）所附的一致性证明不成立（相对前{prev_size}条）。", None)
    if head is not None and (head[0] != checked or head[1] != prev):
        return fail(f"审计链末尾的记录缺失：链头记录为第{head[0]}条，实际只有{checked}条完整记录。", checked + 1)
    for size in sorted(wanted):
        for kind, _item in wanted[size]:
            if kind == "rotation":
                return fail(f"审计日志末尾被截去：签名密钥轮换时日志已有{size}条记录，现在只有{checked}条"
                            f"（第{checked + 1}条起缺失）。", checked + 1)
            if kind == "anchor":
                if checked == 0:
                    return fail(f"审计日志已被清空：先前导出的签名根含{size}条记录，现在一条也没有。", 1)
                return fail(f"审计日志末尾被截去：先前导出的签名根含{size}条记录，现在只有{checked}条"
                            f"（第{checked + 1}条起缺失）。", checked + 1)
            return fail(f"检查点（前{size}条）指向不存在的记录：日志末尾被截去。", checked + 1)
    warnings = [f"有{legacy}个启用签名之前的检查点没有签名（只核对了默克尔根）；运行 audit_checkpoint 生成已签名的检查点。"] \
        if legacy else []
    return VerifyResult(True, checked, root_hash=cr.root().hex(), warnings=warnings)


_FIELD_PATTERNS = {
    "tree_size": r"(?:tree[ _]?size|条目数|记录数)\s*[:：=]\s*([0-9][0-9,，]*)",
    "root_hash": r"(?:root[ _]?hash|root|根哈希)\s*[:：=]\s*([0-9a-fA-F]{64})",
    "signature": r"(?:signature|签名)\s*[:：=]\s*([A-Za-z0-9+/=]{80,100})",
    "public_key": r"(?:public[ _]?key|公钥)\s*[:：=]\s*([A-Za-z0-9+/=]{40,48})(?![0-9a-fA-F])",
    "key_fingerprint": r"(?:key[ _]?fingerprint|公钥指纹)\s*[:：=]\s*([0-9a-fA-F]{64})",
}


def load_anchors(path: str | Path) -> tuple[list[Anchor], dict]:
    """Read an exported checkpoint file (JSON) or a signed root as printed (tree size + root hash + signature).
    Returns the anchors and {"public_key": bytes | None, "key_fingerprint": str}."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise AnchorFileError(f"无法读取文件 {path}：{e}") from None
    meta: dict = {"public_key": None, "key_fingerprint": "", "keys": []}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        rows = data.get("checkpoints") or ([data] if "tree_size" in data else [])
        if not rows and "audit_root" in data:  # a backup's manifest.json
            rows = [data["audit_root"]] if data["audit_root"] else []
        try:
            anchors = [Anchor(int(r["tree_size"]), str(r["root_hash"]).lower(), str(r.get("signature") or ""),
                              str(r.get("key_fingerprint") or "").lower()) for r in rows]
        except (KeyError, TypeError, ValueError):
            raise AnchorFileError("检查点文件格式不对：每个检查点需要 tree_size 和 root_hash。") from None
        public_key, meta["key_fingerprint"] = data.get("public_key"), data.get("key_fingerprint", "")
        try:
            meta["keys"] = [signing.KeyRecord.from_dict(k) for k in data.get("keys") or []]
        except (KeyError, TypeError, ValueError):
            raise AnchorFileError("检查点文件中的密钥列表（keys）格式不对。") from None
    else:
        found = {k: re.search(p, text, re.IGNORECASE) for k, p in _FIELD_PATTERNS.items()}
        if not found["tree_size"] or not found["root_hash"]:
            raise AnchorFileError("文件中没有找到签名根：需要“条目数”和“根哈希”（64位十六进制），以及“签名”。")
        size = int(re.sub(r"[,，]", "", found["tree_size"].group(1)))
        meta["key_fingerprint"] = found["key_fingerprint"].group(1).lower() if found["key_fingerprint"] else ""
        anchors = [Anchor(size, found["root_hash"].group(1).lower(),
                          found["signature"].group(1) if found["signature"] else "", meta["key_fingerprint"])]
        public_key = found["public_key"].group(1) if found["public_key"] else None
    if not anchors:
        raise AnchorFileError("文件中没有任何检查点。")
    if public_key:
        try:
            meta["public_key"] = base64.b64decode(public_key, validate=True)
        except ValueError:
            raise AnchorFileError("文件中的公钥不是有效的Base64。") from None
    return anchors, meta


def check_anchor_signatures(anchors: list[Anchor], meta: dict) -> tuple[list[str], list[str]]:
    """(errors, warnings): each anchor must carry a valid signature by the key that signed it: one the file names
    (its public key or its key list), else a key of this server's keyring valid at the anchor's size (a root
    exported before a key rotation verifies with the key of its time)."""
    errors, warnings = [], []
    try:
        ring = signing.keyring()
    except signing.KeyringError as e:
        return [str(e)], []
    local = {r.fingerprint: r.public_key for r in ring}
    file_keys = {r.fingerprint: r.public_key for r in meta.get("keys") or []}
    if meta.get("public_key"):
        file_keys[signing.fingerprint(meta["public_key"])] = meta["public_key"]
    foreign = [fp for fp in file_keys if fp not in local]
    if not foreign and meta.get("key_fingerprint") and not file_keys and meta["key_fingerprint"] not in local:
        foreign = [meta["key_fingerprint"]]
    if foreign:
        warnings.append(f"注意：文件中的公钥（指纹 {foreign[0][:16]}…）不在本机的签名密钥环中"
                        f"（本机当前密钥指纹 {signing.fingerprint()[:16]}…）。")
    for a in anchors:
        if not a.signature:
            errors.append(f"签名根（前{a.tree_size}条）没有签名，不能作为依据。")
            continue
        if a.key_fingerprint and a.key_fingerprint in file_keys:
            keys = [file_keys[a.key_fingerprint]]
        elif file_keys and not a.key_fingerprint:
            keys = list(file_keys.values())
        elif a.key_fingerprint:
            keys = [local[a.key_fingerprint]] if a.key_fingerprint in local else []
        else:
            keys = [r.public_key for r in ring if r.covers(a.tree_size)]
        if not any(signing.verify(a.tree_size, a.root_hash, a.signature, k) for k in keys):
            errors.append(f"签名根（前{a.tree_size}条）的签名无效：文件被改动，或不是本系统签发的。")
    return errors, warnings
