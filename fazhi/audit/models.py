from django.db import models

from fazhi.core.models import Region, TownshipQuerySet

GENESIS = "0" * 64


class AuditEntry(models.Model):
    """One append-only, hash-chained log entry. Never updated or deleted by the application."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人ID", null=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=32)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    township = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False)
    changes = models.JSONField("变更", default=dict, blank=True)
    reason = models.TextField("理由", blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        ordering = ["seq"]
        # a township's ledger, newest first (the county's is served by the unique seq index)
        indexes = [models.Index(fields=["object_type", "object_id", "seq"]),
                   models.Index(fields=["township", "seq"], name="audit_h16_township_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class AuditHead(models.Model):
    """Single row holding the chain's tip; locking it serialises appends on every database."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS)


class Checkpoint(models.Model):
    """RFC 6962 Merkle tree head over the first `tree_size` entry hashes."""

    tree_size = models.PositiveBigIntegerField("条目数", unique=True)
    root_hash = models.CharField("根哈希", max_length=64)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    # Ed25519 signature (base64) over fazhi.audit.signing.message(tree_size, root_hash) and the key's fingerprint.
    signature = models.CharField("签名", max_length=100, blank=True)
    key_fingerprint = models.CharField("公钥指纹", max_length=64, blank=True)
    # RFC 6962 consistency proof (hex nodes) from the previous checkpoint's tree to this one.
    prev_size = models.PositiveBigIntegerField("上一检查点条目数", null=True, blank=True)
    consistency_proof = models.JSONField("一致性证明", default=list, blank=True)
    # Further signatures: at a key rotation, the outgoing key's signature over signing.rotation_message (the
    # checkpoint and the incoming public key): [{"key_fingerprint", "statement": "key-rotation", "signature"}].
    cosignatures = models.JSONField("联署签名", default=list, blank=True)
    # Perfect-subtree hashes covering [0, tree_size): the next checkpoint starts from them, reading only new entries.
    compact_range = models.JSONField("紧凑范围（子树哈希）", default=list, blank=True)

    class Meta:
        verbose_name = "审计检查点"
        ordering = ["-tree_size"]

    def as_dict(self) -> dict:
        return {"tree_size": self.tree_size, "root_hash": self.root_hash, "signature": self.signature,
                "key_fingerprint": self.key_fingerprint, "cosignatures": self.cosignatures, "prev_size": self.prev_size,
                "consistency_proof": self.consistency_proof, "created_at": self.created_at.isoformat()}


class TownshipRootSeen(models.Model):
    """The last signed root the county saw for one township (the chain is global: every township's portal
    publishes the same signed root). A new root that is not a consistent extension of this one raises a warning."""

    township = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    tree_size = models.PositiveBigIntegerField("条目数")
    root_hash = models.CharField("根哈希", max_length=64)
    signature = models.CharField("签名", max_length=100, blank=True)
    seen_at = models.DateTimeField("看到时间")
    problem = models.TextField("一致性问题", blank=True)

    class Meta:
        verbose_name = "县级已见签名根"
