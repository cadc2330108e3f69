"""Default catalogue entries (laws studied, publicity topics). Admins may add or retire entries."""

DEFAULT_LAWS = [
    ("习近平法治思想", "thought"),
    ("习近平总书记关于全面依法治国的重要讲话", "thought"),
    ("中央全面依法治国工作会议精神", "thought"),
    ("中华人民共和国宪法", "constitution"),
    ("中华人民共和国民法典", "law"),
    ("中国共产党廉洁自律准则", "party"),
    ("中国共产党纪律处分条例", "party"),
    ("中华人民共和国行政处罚法", "law"),
    ("中华人民共和国行政许可法", "law"),
    ("中华人民共和国行政强制法", "law"),
    ("中华人民共和国国家安全法", "law"),
    ("中华人民共和国土地管理法", "law"),
    ("中华人民共和国人民调解法", "law"),
    ("中华人民共和国政府信息公开条例", "regulation"),
    ("信访工作条例", "party"),
    ("重大行政决策程序暂行条例", "regulation"),
    ("湖南省法治政府建设实施方案（2021—2025年）", "document"),
    ("湖南省行政执法全过程记录办法", "document"),
]

DEFAULT_TOPICS = ["国家安全", "信访工作条例", "社会治安", "婚姻家庭", "土地管理", "民法典", "宪法",
                  "反电信网络诈骗", "禁毒", "未成年人保护", "安全生产", "森林防火", "农村人居环境", "扫黑除恶"]


def seed(Law, Topic) -> None:
    for i, (name, kind) in enumerate(DEFAULT_LAWS, start=1):
        Law.objects.get_or_create(name=name, defaults={"kind": kind, "order": i * 10})
    for i, name in enumerate(DEFAULT_TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": i * 10})
