"""Leadership of rule-of-law work (seed 一(一), 三): leading group, topic meetings, the annual plan and its
tasks, budget, and the “谁执法谁普法” duty lists."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord


class GroupRole(models.TextChoices):
    ADVISER = "adviser", "顾问"
    HEAD = "head", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


GROUP_ROLE_ORDER = {GroupRole.ADVISER: 0, GroupRole.HEAD: 1, GroupRole.DEPUTY: 2, GroupRole.MEMBER: 3}


class LeadingGroup(TownshipOwned):
    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField("名称", max_length=100, default="法治政府建设工作领导小组")
    document_no = models.CharField("成立文号", max_length=100, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    office = models.CharField("办公室设在", max_length=100, blank=True, help_text="如：乡司法所")
    duties = models.TextField("主要职责", blank=True)

    class Meta:
        verbose_name = "法治政府建设工作领导小组"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="leadinggroup_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class GroupMember(TownshipOwned):
    """A seat in the group. Leaving sets `left_on` (the row stays: changes are kept)."""

    group = models.ForeignKey(LeadingGroup, verbose_name="领导小组", on_delete=models.CASCADE, related_name="members")
    group_role = models.CharField("小组职务", max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)
    name = models.CharField("姓名", max_length=64, blank=True, help_text="成员按岗位列明时可不填姓名")
    post = models.CharField("职务/岗位", max_length=120)
    order = models.PositiveIntegerField("排序", default=100)
    joined_on = models.DateField("加入日期", null=True, blank=True)
    left_on = models.DateField("退出日期", null=True, blank=True)
    change_reason = models.CharField("变动原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "领导小组成员"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_group_role_display()} {self.name or self.post}"

    @property
    def active(self) -> bool:
        return self.left_on is None


class TopicMeeting(TownshipOwned):
    """专题研究部署: a meeting of the group or the Party committee on rule-of-law work."""

    date = models.DateField("会议日期")
    title = models.CharField("会议名称", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    chair = models.CharField("主持人", max_length=64, blank=True)
    attendees = models.TextField("参会人员", help_text="每行一人，可写“姓名 职务”")
    agenda = models.TextField("议题")
    minutes = models.TextField("会议纪要", blank=True)
    decisions = models.TextField("议定事项", blank=True)

    class Meta:
        verbose_name = "专题研究部署会议"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class FollowUp(TownshipOwned):
    meeting = models.ForeignKey(TopicMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="follow_ups")
    content = models.CharField("落实事项", max_length=300)
    owner = models.CharField("责任单位/人", max_length=100)
    due_date = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("落实情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "会议落实事项"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.content


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    ISSUED = "issued", "已印发"
    CLOSED = "closed", "已年终结转"


class AnnualPlan(TownshipOwned):
    """年度法治政府建设工作计划."""

    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("计划名称", max_length=200)
    document_no = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    summary = models.TextField("总体要求", blank=True)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    carried_from = models.ForeignKey("self", verbose_name="结转自", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "年度法治政府建设工作计划"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="annualplan_unique_year")]

    def __str__(self) -> str:
        return self.title


class PlanTransition(TransitionRecord):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="transitions")


class Area(models.TextChoices):
    ORGANIZATION = "organization", "组织领导"
    EDUCATION = "education", "学法普法"
    DECISION = "decision", "依法决策"
    DISCLOSURE = "disclosure", "政务公开"
    ENFORCEMENT = "enforcement", "行政执法"
    DISPUTES = "disputes", "矛盾纠纷化解"
    TEAM = "team", "队伍建设"
    OTHER = "other", "其他"


class Priority(models.TextChoices):
    HIGH = "high", "重点"
    NORMAL = "normal", "一般"
    LOW = "low", "较低"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    CARRIED = "carried", "已结转下年"
    CANCELLED = "cancelled", "已取消"


OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class TaskSource(models.TextChoices):
    PLAN = "plan", "年初计划"
    CARRIED = "carried", "上年未完成结转"
    NEXT_STEP = "next_step", "上年报告下一步工作安排"
    MEETING = "meeting", "专题会议部署"


class PlanTask(TownshipOwned):
    plan = models.ForeignKey(AnnualPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="tasks")
    seq = models.PositiveIntegerField("序号", default=1)
    area = models.CharField("工作领域", max_length=16, choices=Area.choices)
    title = models.CharField("任务", max_length=300)
    description = models.TextField("具体要求", blank=True)
    owner_unit = models.CharField("责任单位", max_length=100)
    owner_person = models.CharField("责任人", max_length=64, blank=True)
    due_date = models.DateField("完成时限")
    priority = models.CharField("优先级", max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0, validators=[MaxValueValidator(100)])
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    source = models.CharField("来源", max_length=16, choices=TaskSource.choices, default=TaskSource.PLAN)
    carried_from = models.ForeignKey("self", verbose_name="结转自", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_to")
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "年度计划任务"
        ordering = ["plan", "seq", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="plantask_progress_max")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today


class TaskTransition(TransitionRecord):
    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="transitions")


def proof_upload_to(instance, filename: str) -> str:
    return f"organization/proof/{instance.township_id}/{instance.date:%Y}/{filename}"


class TaskProgress(TownshipOwned):
    """A dated progress update with an optional proof attachment (stored through Django storage)."""

    task = models.ForeignKey(PlanTask, verbose_name="任务", on_delete=models.CASCADE, related_name="updates")
    date = models.DateField("日期")
    progress = models.PositiveSmallIntegerField("进度(%)", validators=[MaxValueValidator(100)])
    note = models.TextField("进展情况")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "任务进展"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.task} {self.date:%Y-%m-%d} {self.progress}%"


class TaskProof(TownshipOwned):
    """A proof attachment of a progress report, stored through Django's default storage (disk or S3)."""

    update = models.ForeignKey(TaskProgress, verbose_name="任务进展", on_delete=models.CASCADE, related_name="proofs")
    file = models.FileField("佐证材料", upload_to=proof_upload_to, max_length=300)
    name = models.CharField("材料名称", max_length=200)
    date = models.DateField("日期")

    class Meta:
        verbose_name = "佐证材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class NextStepItem(TownshipOwned):
    """An item of the annual report's 三、下一步工作安排: it becomes a task of next year's plan at carry-over."""

    plan = models.ForeignKey(AnnualPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="next_steps")
    seq = models.PositiveIntegerField("序号", default=1)
    area = models.CharField("工作领域", max_length=16, choices=Area.choices, default=Area.OTHER)
    title = models.CharField("事项", max_length=200)
    content = models.TextField("具体内容", blank=True)
    owner_unit = models.CharField("责任单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "下一步工作安排"
        ordering = ["seq", "id"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(TownshipOwned):
    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    subject = models.CharField("预算项目", max_length=200)
    amount = models.DecimalField("预算金额(元)", max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    source = models.CharField("资金来源", max_length=100, default="乡财政预算")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "法治建设预算"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.subject}"


class BudgetSpend(TownshipOwned):
    line = models.ForeignKey(BudgetLine, verbose_name="预算项目", on_delete=models.PROTECT, related_name="spends")
    date = models.DateField("支出日期")
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2)
    purpose = models.CharField("用途", max_length=200)
    voucher_no = models.CharField("凭证号", max_length=60, blank=True)

    class Meta:
        verbose_name = "预算支出"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.purpose} {self.amount}元"


class DutyList(TownshipOwned):
    """One unit's “谁执法谁普法” responsibility list for a year."""

    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    unit = models.CharField("责任单位", max_length=100)
    person = models.CharField("责任人", max_length=64, blank=True)
    laws = models.TextField("重点普法内容(法律法规)", blank=True)
    village = models.ForeignKey(Region, verbose_name="村（居）", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"level": "village"},
                                help_text="村级责任清单填写，乡属单位留空")

    class Meta:
        verbose_name = "普法责任清单"
        ordering = ["-year", "unit"]
        constraints = [models.UniqueConstraint(fields=["township", "year", "unit"], name="dutylist_unique_unit")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.unit}普法责任清单"


class DutyObligation(TownshipOwned):
    """An obligation is fulfilled when enough publicity events are linked to it (education app)."""

    duty_list = models.ForeignKey(DutyList, verbose_name="责任清单", on_delete=models.CASCADE,
                                  related_name="obligations")
    content = models.CharField("普法任务", max_length=300)
    target_events = models.PositiveSmallIntegerField("应开展活动次数", default=1,
                                                     validators=[MinValueValidator(1)])
    due_date = models.DateField("完成时限", null=True, blank=True)

    class Meta:
        verbose_name = "普法责任事项"
        ordering = ["duty_list", "id"]

    def __str__(self) -> str:
        return f"{self.duty_list.unit}：{self.content}"
