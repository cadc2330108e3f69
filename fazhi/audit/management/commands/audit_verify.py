from django.core.management.base import BaseCommand

from fazhi.audit.verify import AnchorFileError, check_anchor_signatures, load_anchors, verify_chain


class Command(BaseCommand):
    help = ("验证审计日志哈希链与已签名的检查点（线性时间、恒定内存）；加 --against FILE 时再证明现有日志是先前导出的"
            "签名根的一致延伸。完好退出码0，发现问题退出码1并用中文指出问题。")

    def add_arguments(self, parser):
        parser.add_argument("--against", metavar="FILE",
                            help="先前导出的检查点文件（audit_checkpoint --export），或年度报告附录中的签名根"
                                 "（条目数、根哈希、签名）")

    def handle(self, *args, **options):
        anchors = None
        if options["against"]:
            try:
                anchors, meta = load_anchors(options["against"])
            except AnchorFileError as e:
                self.stderr.write(f"审计链校验失败：{e}")
                raise SystemExit(1) from None
            errors, warnings = check_anchor_signatures(anchors, meta)
            for w in warnings:
                self.stderr.write(w)
            if errors:
                self.stderr.write("审计链校验失败：" + "；".join(errors))
                raise SystemExit(1)
        result = verify_chain(against=anchors)
        if not result.ok:
            self.stderr.write(f"审计链校验失败：{result.problem}")
            raise SystemExit(1)
        self.stdout.write(f"审计链完好：共校验{result.checked}条记录。")
        for w in result.warnings:
            self.stdout.write("提示：" + w)
        if anchors:
            sizes = "、".join(str(a.tree_size) for a in anchors[-3:])
            self.stdout.write(f"现有日志是先前签名根（前{sizes}条）的一致延伸。")
