"""Law study by officials (学法) and law publicity among residents (普法): seed 一(二), 二, 三(二)(三)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord


class LawKind(models.TextChoices):
    THOUGHT = "thought", "习近平法治思想及重要讲话"
    CONSTITUTION = "constitution", "宪法"
    LAW = "law", "法律"
    REGULATION = "regulation", "行政法规"
    LOCAL = "local", "地方性法规"
    PARTY = "party", "党内法规"
    DOCUMENT = "document", "规范性文件"


class Law(models.Model):
    """Catalogue of laws and documents studied (editable by admins; shared by every township)."""

    name = models.CharField("名称", max_length=120, unique=True)
    kind = models.CharField("类别", max_length=16, choices=LawKind.choices, default=LawKind.LAW)
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "法律法规目录"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """Catalogue of publicity topic tags (editable by admins)."""

    name = models.CharField("名称", max_length=60, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "普法主题"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Official(TownshipOwned):
    """A township official whose law study is recorded. Leaders (“关键少数”) are listed apart."""

    name = models.CharField("姓名", max_length=64)
    post = models.CharField("职务", max_length=120)
    is_leader = models.BooleanField("领导干部（关键少数）", default=False)
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("在岗", default=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "干部"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["township", "name", "post"], name="official_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class StudyKind(models.TextChoices):
    CENTER_GROUP = "center_group", "党委理论中心组学习"
    PRE_MEETING = "pre_meeting", "会前学法"
    LECTURE = "lecture", "专题讲座"
    TRAINING = "training", "法治培训"
    EXAM = "exam", "学法考试"
    OTHER = "other", "其他"


class StudySession(TownshipOwned):
    kind = models.CharField("学习形式", max_length=16, choices=StudyKind.choices)
    date = models.DateField("日期")
    topic = models.CharField("学习主题", max_length=200)
    laws = models.ManyToManyField(Law, verbose_name="学习的法律法规", blank=True, related_name="sessions")
    speaker = models.CharField("主讲人/领学人", max_length=100, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=2,
                                validators=[MinValueValidator(0.5), MaxValueValidator(24)])
    notes = models.TextField("学习内容摘要", blank=True)

    class Meta:
        verbose_name = "学法活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class Attendance(TownshipOwned):
    session = models.ForeignKey(StudySession, verbose_name="学法活动", on_delete=models.CASCADE,
                                related_name="attendance")
    official = models.ForeignKey(Official, verbose_name="参学人员", on_delete=models.PROTECT,
                                 related_name="attendance")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(24)])

    class Meta:
        verbose_name = "参学记录"
        ordering = ["official__order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "official"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.official} {self.hours}学时"


class PublicityPlan(TownshipOwned):
    """Annual law-publicity plan (年度普法工作计划) with its targets."""

    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("计划名称", max_length=200)
    planned_events = models.PositiveIntegerField("计划集中宣传次数", default=0)
    target_audience = models.PositiveIntegerField("目标受众人次", default=0)
    target_posters = models.PositiveIntegerField("计划张贴海报(份)", default=0)
    target_leaflets = models.PositiveIntegerField("计划发放资料(份)", default=0)
    target_villages = models.PositiveIntegerField("计划覆盖村数", default=0)
    key_topics = models.ManyToManyField(Topic, verbose_name="重点宣传内容", blank=True, related_name="+")
    notes = models.TextField("工作安排", blank=True)

    class Meta:
        verbose_name = "年度普法工作计划"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="publicityplan_unique_year")]

    def __str__(self) -> str:
        return self.title


class EventFormat(models.TextChoices):
    CAMPAIGN = "campaign", "集中主题宣传"
    LECTURE = "lecture", "法治讲座"
    DOOR = "door", "入户宣传"
    PERFORMANCE = "performance", "文艺演出"
    CASE = "case", "以案释法"
    ONLINE = "online", "新媒体宣传"
    OTHER = "other", "其他"


# Audience age bands: (field, label). The seed's “年龄偏大” is read from the 60+ band.
AGE_BANDS = [("aud_under18", "18岁以下"), ("aud_18_39", "18–39岁"), ("aud_40_59", "40–59岁"),
             ("aud_60_plus", "60岁及以上")]


class PublicityEvent(TownshipOwned):
    scope_village_field = "village"

    date = models.DateField("日期")
    village = models.ForeignKey(Region, verbose_name="村（居）", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "village"})
    place = models.CharField("地点", max_length=120)
    theme = models.CharField("活动主题", max_length=200)
    topics = models.ManyToManyField(Topic, verbose_name="宣传内容", related_name="events")
    format = models.CharField("形式", max_length=16, choices=EventFormat.choices, default=EventFormat.CAMPAIGN)
    organizer = models.CharField("组织单位", max_length=100)
    audience = models.PositiveIntegerField("受众人次")
    aud_under18 = models.PositiveIntegerField("18岁以下", default=0)
    aud_18_39 = models.PositiveIntegerField("18–39岁", default=0)
    aud_40_59 = models.PositiveIntegerField("40–59岁", default=0)
    aud_60_plus = models.PositiveIntegerField("60岁及以上", default=0)
    posters = models.PositiveIntegerField("张贴海报(份)", default=0)
    leaflets = models.PositiveIntegerField("发放资料(份)", default=0)
    venue = models.ForeignKey("Venue", verbose_name="法治文化阵地", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="events")
    obligations = models.ManyToManyField("organization.DutyObligation", verbose_name="履行的普法责任",
                                         blank=True, related_name="events")
    summary = models.TextField("活动情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "普法宣传活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.theme}"

    @property
    def age_bands(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, f)) for f, label in AGE_BANDS]


def photo_upload_to(instance, filename: str) -> str:
    return f"education/photos/{instance.township_id}/{filename}"


class EventPhoto(TownshipOwned):
    scope_village_field = "village"

    event = models.ForeignKey(PublicityEvent, on_delete=models.CASCADE, related_name="photos")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    image = models.FileField("照片", upload_to=photo_upload_to, max_length=300)
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "活动照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class VenueKind(models.TextChoices):
    SQUARE = "square", "法治文化广场"
    PARK = "park", "法治公园"
    CORRIDOR = "corridor", "法治长廊"
    BOARD = "board", "法治宣传栏"
    CORNER = "corner", "农家书屋法律角"
    SERVICE = "service", "公共法律服务室"
    OTHER = "other", "其他"


class VenueState(models.TextChoices):
    GOOD = "good", "正常使用"
    REPAIR = "repair", "需维护"
    BUILDING = "building", "建设中"
    CLOSED = "closed", "停用"


class Venue(TownshipOwned):
    """法治文化阵地 in a village."""

    scope_village_field = "village"

    village = models.ForeignKey(Region, verbose_name="村（居）", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "village"})
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=16, choices=VenueKind.choices)
    place = models.CharField("位置", max_length=120)
    state = models.CharField("状态", max_length=16, choices=VenueState.choices, default=VenueState.GOOD)
    built_on = models.DateField("建成日期", null=True, blank=True)
    notes = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "法治文化阵地"
        ordering = ["village__code", "id"]

    def __str__(self) -> str:
        return f"{self.village.name}·{self.name}"


class VenueTransition(TransitionRecord):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="transitions")
