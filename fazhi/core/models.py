import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]


class Region(models.Model):
    """An administrative division identified by its 12-digit code (统计用区划代码)."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    # "/<code>/<code>/.../" of every ancestor and itself: descendant queries are one indexed prefix match.
    path = models.CharField(max_length=160, db_index=True, editable=False)
    population = models.PositiveIntegerField("户籍人口", null=True, blank=True)
    area_km2 = models.DecimalField("面积(平方公里)", max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_township(self) -> bool:
        return self.level == RegionLevel.TOWNSHIP


class TownshipQuerySet(models.QuerySet):
    def visible_to(self, user, roles=None):
        """Rows inside the user's scope (optionally only through memberships with `roles`)."""
        from fazhi.core.scope import scope_q

        return self.filter(scope_q(user, self.model, roles=roles))

    def in_region(self, region: Region):
        return self.filter(township__path__startswith=region.path)


class TownshipOwned(models.Model):
    """Base for every domain record: it belongs to exactly one township (the distribution key at scale)."""

    township = models.ForeignKey(Region, verbose_name="乡镇", on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": RegionLevel.TOWNSHIP})
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Name of a FK to a village Region; village-level members (村干部) see only rows of their village.
    scope_village_field: str | None = None

    objects = TownshipQuerySet.as_manager()

    class Meta:
        abstract = True


class TransitionRecord(models.Model):
    """Base for a workflow's history rows: who moved it, from, to, why, when (STYLE.md habit 2)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    from_status = models.CharField("原状态", max_length=32, blank=True)
    to_status = models.CharField("新状态", max_length=32)
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（放假）"
    WORKDAY = "workday", "调休上班日"


class CalendarYear(models.Model):
    """An official holiday schedule entered by an admin for a year `chinese-calendar` does not know yet."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据文件", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    calendar = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=32, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["holiday", "workday"]), name="calendarday_kind")]


class Counter(models.Model):
    """The last number handed out per township, kind and year (案号, 文号, 纠纷编号…).

    Locked (SELECT … FOR UPDATE) inside the transaction that saves the numbered record, so two
    writers never get the same number and a rolled-back write gives its number back. Only
    `fazhi.core.numbering` touches it."""

    township = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name="乡镇")
    kind = models.CharField("编号种类", max_length=60)
    year = models.PositiveIntegerField("年份")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"
        constraints = [models.UniqueConstraint(fields=["township", "kind", "year"], name="counter_unique")]

    def __str__(self):
        return f"{self.township_id} {self.kind} {self.year}: {self.last}"


class SearchEntry(models.Model):
    """One record's searchable text as character bigrams (see core/search_index.py), indexed by SQLite FTS5
    or a PostgreSQL GIN full-text index, so a county-wide search does not scan every row. The record's
    township is kept beside it so the newest hits in a user's scope come straight from the index."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, verbose_name="记录类型")
    object_id = models.PositiveBigIntegerField("记录编号")
    township = models.ForeignKey(Region, verbose_name="乡镇", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", db_index=False)  # served by core_search_scope
    # the township's county, city and province as FTS5 tags ("c<code> …"): a county's scope is one term, not its
    # townships' (a region's ancestors follow from its code, so these never go stale)
    ancestors = models.CharField("上级区划", max_length=200, blank=True, default="")
    grams = models.TextField("检索词元", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索索引"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="core_search_one_per_object")]
        # newest first within a kind and township (PostgreSQL; SQLite keeps kind and township in the FTS table)
        indexes = [models.Index(fields=["content_type", "township", "object_id"], name="core_search_scope")]


class Export(models.Model):
    """A ledger export too large to build within the request (core.exports): a background task builds it
    into storage with its progress; only the user who asked may download it, for `exports.KEEP`."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "生成失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # unguessable in the URL
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="申请人")
    title = models.CharField("台账", max_length=200)
    path = models.CharField("台账地址", max_length=2000)  # the ledger URL with its filters, search, sort, selection
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done_rows = models.PositiveIntegerField("已写行数", default=0)
    file = models.FileField("文件", upload_to="exports/", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台导出"

    def __str__(self):
        return f"{self.title}导出"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total) if self.total else 0


class ExportTransition(TransitionRecord):
    """A background export's status change (排队中 → 生成中 → 已完成 | 生成失败), one row each."""

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "后台导出状态记录"

