from django.core.management.base import BaseCommand, CommandError

from fazhi.audit import signing
from fazhi.audit.services import audit_rotate_key
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = ("轮换审计检查点签名密钥：生成新的 Ed25519 密钥，旧密钥对新公钥和当前日志根签署交接声明，新密钥签名当前检查点"
            "（两把密钥共同签名），旧私钥销毁、旧公钥留在密钥环中，以前的检查点仍可验证。")

    def handle(self, *args, **options):
        try:
            checkpoint, rotation = audit_rotate_key()
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"签名密钥已轮换：旧密钥（指纹 {rotation.old.fingerprint}）只对前{rotation.new.from_size}条及以前的"
                          f"检查点有效，新密钥（指纹 {rotation.new.fingerprint}）从前{rotation.new.from_size}条起签名。")
        if checkpoint is not None:
            self.stdout.write(f"交接检查点：前{checkpoint.tree_size}条，根哈希 {checkpoint.root_hash}"
                              "（新密钥签名，旧密钥联署）")
        self.stdout.write(f"新公钥：{signing.public_key_b64()}")
        self.stdout.write(f"密钥环：{signing.keyring_path()}（公钥，请与密钥文件 {signing.key_path()} 一同备份）")
        self.stdout.write("请在门户和下一份年度报告中公布新的公钥指纹。")
