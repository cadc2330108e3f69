"""Forms of the enforcement pages. They only parse input; every rule is checked in the services."""

from __future__ import annotations

import datetime as dt

from django import forms

from fazhi.core.validators import not_in_future
from fazhi.enforcement.models import (
    CHECKLIST,
    BodyKind,
    DiscretionBand,
    InspectionKind,
    InspectionObject,
    InspectionResult,
    MeasureKind,
    Officer,
    Outcome,
    PartyKind,
    PenaltyKind,
    PlanItem,
    Power,
    RecordStage,
    ReviewOutcome,
    ServiceMethod,
    Stance,
    StatutorySettings,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # <input type=date> needs ISO dates
TEXT = forms.Textarea(attrs={"rows": 3})


def _date(label, required=True, help_text="", past=False):
    """past=True: the date of something that has already happened (a discovery, a signed receipt)."""
    return forms.DateField(label=label, widget=DATE, required=required, initial=dt.date.today, help_text=help_text,
                           validators=[not_in_future] if past else [])


def _money(label, required=False):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0, required=required)


class StepForm(forms.Form):
    """Every case step carries the status the user saw (two people acting at once: one is told)."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class OfficerChoiceMixin:
    def set_officers(self, qs, field="officers"):
        self.fields[field].queryset = qs
        self.fields[field].label_from_instance = lambda o: f"{o.name}（证号{o.cert_no}）" if o.cert_no else o.name


class CaseForm(OfficerChoiceMixin, forms.Form):
    title = forms.CharField(label="案由", max_length=200)
    power = forms.ModelChoiceField(label="职权事项", queryset=Power.objects.none())
    source = forms.ChoiceField(label="案件来源", choices=[
        ("inspection", "日常巡查发现"), ("complaint", "群众投诉举报"), ("referral", "上级交办或部门移送"),
        ("other", "其他")])
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人", max_length=100)
    party_id_no = forms.CharField(label="身份证号/统一社会信用代码", max_length=30, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    party_address = forms.CharField(label="住址/住所", max_length=200, required=False)
    party_representative = forms.CharField(label="法定代表人/负责人", max_length=64, required=False)
    violation_date = forms.DateField(label="违法行为发生日", widget=DATE, required=False, validators=[not_in_future],
                                     help_text="用于核对追责时效（行政处罚法第三十六条）")
    violation_continuing = forms.BooleanField(label="违法行为有连续或者继续状态", required=False)
    violation_ended_on = forms.DateField(label="连续或继续状态终了日", widget=DATE, required=False,
                                         validators=[not_in_future],
                                         help_text="仍在继续的留空：时效从行为终了之日起计算（行政处罚法第三十六条第二款）")
    harm_occurred = forms.BooleanField(label="涉及生命健康、金融安全的违法行为已造成危害后果（时效五年）",
                                       required=False)
    discovered_on = _date("发现日期", past=True)
    place = forms.CharField(label="违法行为地点", max_length=200, required=False)
    facts = forms.CharField(label="案件基本情况", widget=TEXT)
    officers = forms.ModelMultipleChoiceField(label="承办执法人员（至少2名持证）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    complex_case = forms.BooleanField(label="案件情况疑难复杂、涉及多个法律关系", required=False)
    serious_violation = forms.BooleanField(label="情节复杂或重大违法行为（须集体讨论）", required=False)
    filing_opinion = forms.CharField(label="承办人立案意见", widget=TEXT, required=False)


class SimpleCaseForm(OfficerChoiceMixin, forms.Form):
    title = forms.CharField(label="案由", max_length=200)
    power = forms.ModelChoiceField(label="职权事项", queryset=Power.objects.none())
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人", max_length=100)
    party_id_no = forms.CharField(label="身份证号/统一社会信用代码", max_length=30, required=False)
    party_address = forms.CharField(label="住址/住所", max_length=200, required=False)
    place = forms.CharField(label="违法行为地点", max_length=200)
    facts = forms.CharField(label="违法事实", widget=TEXT)
    penalty_kind = forms.ChoiceField(label="处罚种类", choices=[(PenaltyKind.WARNING, "警告"),
                                                                 (PenaltyKind.FINE, "罚款")])
    fine_amount = _money("罚款金额（元）")
    decided_on = _date("决定日期")
    officers = forms.ModelMultipleChoiceField(label="执法人员（至少2名持证）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    onspot_paid = forms.BooleanField(label="当场收缴罚款", required=False,
                                     help_text="100元以下可当场收缴；超过的，仅限行政处罚法第六十八条第二项、第六十九条的情形")
    onspot_ground = forms.ChoiceField(label="当场收缴依据", required=False, choices=[("", "100元以下（第六十八条第一项）")] + [
        ("hard", "不当场收缴事后难以执行（第六十八条第二项）"),
        ("remote", "边远、水上、交通不便地区，当事人提出（第六十九条）")])
    onspot_reason = forms.CharField(label="当场收缴的具体情形", max_length=200, required=False)
    onspot_receipt_no = forms.CharField(label="专用票据号码（行政处罚法第七十条）", max_length=40, required=False)


class ApproveForm(StepForm):
    """同意立案 (不予立案 is its own step, with its required reason)."""

    filed_on = _date("立案日期")
    reason = forms.CharField(label="审批意见说明", widget=TEXT, required=False)


class NoticeForm(StepForm):
    facts = forms.CharField(label="违法事实", widget=TEXT)
    evidence_summary = forms.CharField(label="证据", widget=TEXT, required=False)
    reasons = forms.CharField(label="处罚理由及依据说明", widget=TEXT)
    penalty_kind = forms.ChoiceField(label="拟处罚种类", choices=PenaltyKind.choices)
    fine_amount = _money("拟罚款金额（元）")
    confiscation_amount = _money("拟没收金额/价值（元）")
    penalty_detail = forms.CharField(label="拟处罚内容", widget=TEXT, required=False)
    band = forms.ModelChoiceField(label="适用裁量基准", queryset=DiscretionBand.objects.none(), required=False)
    notice_served_on = _date("告知书送达日期")
    notice_waived = forms.BooleanField(label="当事人书面放弃陈述、申辩和听证权利", required=False)
    notice_waiver_note = forms.CharField(label="放弃权利说明", max_length=200, required=False)


class HearingRequestForm(StepForm):
    hearing_requested_on = _date("当事人申请听证日期")


class HearingScheduleForm(forms.Form):
    notice_served_on = _date("听证通知书送达日期")
    scheduled_on = forms.DateField(label="听证日期", widget=DATE)
    place = forms.CharField(label="听证地点", max_length=200)
    presiding = forms.ModelChoiceField(label="主持人（非本案调查人员）", queryset=Officer.objects.none())
    recorder = forms.ModelChoiceField(label="记录员", queryset=Officer.objects.none(), required=False)
    public = forms.BooleanField(label="公开举行", required=False, initial=True)


class HearingRecordForm(forms.Form):
    held_on = _date("举行日期")
    transcript = forms.CharField(label="听证笔录摘要", widget=forms.Textarea(attrs={"rows": 6}))
    opinion = forms.CharField(label="主持人意见", widget=TEXT, required=False)


class ReviewSubmitForm(StepForm):
    reviewer = forms.ModelChoiceField(label="法制审核人员（具有法律职业资格、非本案调查人员）",
                                      queryset=Officer.objects.none())
    submitted_on = _date("送审日期")


class ReviewConcludeForm(forms.Form):
    reviewed_on = _date("审核日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST:
            self.fields[f"item_{key}"] = forms.ChoiceField(label=label, choices=[("1", "符合"), ("0", "不符合")],
                                                           widget=forms.RadioSelect)
            self.fields[f"comment_{key}"] = forms.CharField(label=f"{label}：说明", max_length=500, required=False)
        self.fields["crime_suspected"] = forms.BooleanField(label="涉嫌犯罪，应移送司法机关", required=False)
        self.fields["outcome"] = forms.ChoiceField(label="审核结论", choices=[
            (ReviewOutcome.PASSED, "审核通过"), (ReviewOutcome.RETURNED, "退回补正"),
            (ReviewOutcome.FAILED, "审核不通过")])
        self.fields["opinion"] = forms.CharField(label="审核意见", widget=TEXT)

    def items(self) -> dict:
        d = self.cleaned_data
        return {k: (d[f"item_{k}"] == "1", d.get(f"comment_{k}", "")) for k, _ in CHECKLIST}


class ReasonForm(StepForm):
    reason = forms.CharField(label="理由", widget=TEXT, required=False)


class RequiredReasonForm(StepForm):
    reason = forms.CharField(label="理由", widget=TEXT)


class DiscussionForm(forms.Form):
    held_on = _date("讨论日期")
    place = forms.CharField(label="地点", max_length=200, required=False)
    chair = forms.CharField(label="主持人", max_length=64)
    attendees = forms.CharField(label="出席人员", help_text="用顿号分隔，如：雷斌、李文杰、赵巾英")
    opinions = forms.CharField(label="发言记录", widget=forms.Textarea(attrs={"rows": 6}),
                               help_text="每行一人：姓名｜同意/不同意/其他｜意见")
    conclusion = forms.CharField(label="讨论决定", widget=TEXT)
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_opinions(self):
        stances = {label: value for value, label in Stance.choices}
        out = []
        for n, line in enumerate(self.cleaned_data["opinions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            if len(parts) != 3 or parts[1] not in stances:
                raise forms.ValidationError(f"第{n}行格式不对，应为“姓名｜同意/不同意/其他意见｜意见”。")
            out.append((parts[0], stances[parts[1]], parts[2]))
        return out


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label="处理结果", choices=Outcome.choices)
    decided_on = _date("决定日期")
    penalty_kind = forms.ChoiceField(label="处罚种类", choices=[("", "（不予处罚或移送时不填）"), *PenaltyKind.choices],
                                     required=False)
    fine_amount = _money("罚款金额（元）")
    confiscation_amount = _money("没收金额/价值（元）")
    penalty_detail = forms.CharField(label="处罚内容", widget=TEXT, required=False)
    reasons = forms.CharField(label="处罚理由", widget=TEXT, required=False)
    statement = forms.CharField(label="当事人陈述、申辩意见", widget=TEXT, required=False)
    statement_response = forms.CharField(label="对陈述、申辩的复核意见", widget=TEXT, required=False)
    payment_place = forms.CharField(label="缴纳罚款的地点/账户", max_length=200, required=False)


class ServeForm(StepForm):
    service_method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_on = _date("送达日期", past=True, help_text="以送达回证上受送达人签收的日期为准；公告送达填公告发出日期，期满视为送达")
    service_recipient = forms.CharField(label="受送达人/签收人", max_length=64)


class PaymentForm(forms.Form):
    paid_on = _date("缴款日期")
    paid_amount = _money("实缴罚款（元）", required=True)
    late_fee_paid = _money("实缴加处罚款（元）")


class CloseForm(StepForm):
    closed_on = _date("结案日期")
    execution_note = forms.CharField(label="执行情况", widget=TEXT, required=False)


class ArchiveForm(StepForm):
    archived_on = _date("归档日期")


class RevokeForm(StepForm):
    revoked_on = _date("撤销日期")
    reason = forms.CharField(label="撤销理由", widget=TEXT)


class OfficersForm(OfficerChoiceMixin, forms.Form):
    officers = forms.ModelMultipleChoiceField(label="承办执法人员（至少2名持证）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)


class ExtendForm(forms.Form):
    extension_days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    extension_reason = forms.CharField(label="延长理由及批准情况", max_length=200)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=MeasureKind.choices)
    items = forms.CharField(label="查封、扣押的场所、设施或者财物", widget=TEXT)
    started_on = _date("实施日期")
    approved_by = forms.CharField(label="批准负责人", max_length=64)


class MeasureCloseForm(forms.Form):
    closed_on = _date("解除/处理日期")
    note = forms.CharField(label="处理结果", max_length=200)


class MeasureExtendForm(forms.Form):
    reason = forms.CharField(label="延长理由及批准负责人", max_length=200)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class RecordForm(OfficerChoiceMixin, forms.Form):
    stage = forms.ChoiceField(label="执法环节", choices=RecordStage.choices)
    recorded_at = forms.DateTimeField(label="记录时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                           format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label="地点", max_length=200, required=False)
    device = forms.CharField(label="记录设备（如执法记录仪编号）", max_length=100, required=False)
    text = forms.CharField(label="文字记录", widget=forms.Textarea(attrs={"rows": 4}))
    officers = forms.ModelMultipleChoiceField(label="执法人员", queryset=Officer.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    files = MultipleFileField(label="照片、录音、录像", required=False)


class InspectionForm(OfficerChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[c for c in InspectionKind.choices if c[0] != "random"])
    date = _date("巡查日期")
    village = forms.ModelChoiceField(label="村", queryset=None, required=False)
    place = forms.CharField(label="地点", max_length=200)
    subject = forms.CharField(label="检查内容", max_length=200)
    findings = forms.CharField(label="发现情况", widget=TEXT, required=False)
    result = forms.ChoiceField(label="处理结果", choices=[c for c in InspectionResult.choices if c[0] != "case"])
    officers = forms.ModelMultipleChoiceField(label="执法人员（至少2名持证）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    target = forms.ModelChoiceField(label="检查对象（名录）", queryset=InspectionObject.objects.none(), required=False)
    plan_item = forms.ModelChoiceField(label="抽查事项", queryset=PlanItem.objects.none(), required=False,
                                       help_text="按年度抽查计划检查的，选择事项；同一对象超过年度上限的将被拒绝（无事不扰）")

    @classmethod
    def for_township(cls, user, town, data=None):
        """The form as the 登记日常巡查 page offers it in `town` (its villages, officers, objects and plan items);
        the page, field mode and the API all build it here. `town` None: no choices."""
        from fazhi.core.models import Region, RegionLevel
        from fazhi.enforcement import selectors

        form = cls(data)
        form.fields["village"].queryset = (Region.objects.filter(level=RegionLevel.VILLAGE, parent=town)
                                           if town else Region.objects.none())
        if town:
            form.set_officers(selectors.officers_for_case_choice(town))
            form.fields["target"].queryset = selectors.object_list_for(user).filter(township=town, active=True)
            form.fields["plan_item"].queryset = selectors.plan_item_list_for(user).filter(township=town,
                                                                                          active=True)
        return form


# --- 双随机一公开 --------------------------------------------------------------------------------------

class InspectionObjectForm(forms.ModelForm):
    class Meta:
        model = InspectionObject
        fields = ["name", "kind", "village", "address", "credit_code", "risk", "active", "note"]


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["year", "item", "basis", "object_kind", "frequency", "yearly_limit", "active"]
        widgets = {"basis": TEXT}


class DrawForm(forms.Form):
    plan_item = forms.ModelChoiceField(label="抽查事项", queryset=PlanItem.objects.none())
    object_count = forms.IntegerField(label="抽取对象数", min_value=1, max_value=500, initial=3)
    team_size = forms.IntegerField(label="每组执法人员数", min_value=2, max_value=10, initial=2)
    draw_date = _date("抽取日期", past=True)
    inspection_date = _date("计划检查日期")


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=Officer.objects.none())
    target = forms.ModelChoiceField(label="检查对象", queryset=InspectionObject.objects.none())
    reason = forms.CharField(label="回避事由", max_length=200)


class InspectionResultForm(StepForm):
    findings = forms.CharField(label="检查情况", widget=TEXT)
    result = forms.ChoiceField(label="检查结果", choices=[c for c in InspectionResult.choices if c[0] != "case"])


class InspectionPublishForm(StepForm):
    pass


class OpenCaseForm(forms.Form):
    power = forms.ModelChoiceField(label="职权事项", queryset=Power.objects.none())
    title = forms.CharField(label="案由", max_length=200)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人", max_length=100)
    party_id_no = forms.CharField(label="身份证号/统一社会信用代码", max_length=30, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    party_address = forms.CharField(label="住址/住所", max_length=200, required=False)
    violation_date = forms.DateField(label="违法行为发生（终了）日", widget=DATE, required=False)


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["name", "post", "user", "body", "cert_no", "cert_issuer", "cert_valid_from", "cert_valid_until",
                  "cert_status", "legal_qualified", "legal_qualification_no", "first_review_on", "affiliation",
                  "active"]
        widgets = {"cert_valid_from": DATE, "cert_valid_until": DATE, "first_review_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].required = False  # 本乡镇 unless the reviewer is from the 司法所 or county


class PowerForm(forms.ModelForm):
    class Meta:
        model = Power
        fields = ["body", "code", "name", "category", "violation_basis", "penalty_basis", "penalty_range",
                  "fine_min", "fine_max", "hearing_triggered", "legal_review_required", "collective_required",
                  "life_health_or_finance", "active"]
        widgets = {"violation_basis": TEXT, "penalty_basis": TEXT, "penalty_range": TEXT}


class BandForm(forms.ModelForm):
    class Meta:
        model = DiscretionBand
        fields = ["level", "circumstances", "fine_min", "fine_max", "other_penalty"]
        widgets = {"circumstances": TEXT}


class BodyForm(forms.Form):
    name = forms.CharField(label="执法主体名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=BodyKind.choices)
    legal_basis = forms.CharField(label="设立或赋权依据", widget=TEXT, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = StatutorySettings
        fields = [f.name for f in StatutorySettings._meta.concrete_fields
                  if f.name not in {"id", "region", "updated_at"}]


class PublishForm(forms.Form):
    published_on = _date("公示日期")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回说明", widget=TEXT)

