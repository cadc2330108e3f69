"""Input forms. They only parse input; every rule lives in the services."""

from __future__ import annotations

from django import forms

from fazhi.decisions.models import (
    DecisionCategory,
    DecisionSettings,
    DiscussionConclusion,
    LegalCounsel,
    Litigation,
    ReviewResult,
    RiskLevel,
    Stance,
)
from fazhi.decisions.subjects import SUBJECT_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "附件")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultiFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DecisionForm(forms.Form):
    title = forms.CharField(label="决策事项", max_length=200)
    category = forms.ChoiceField(label="类别", choices=DecisionCategory.choices)
    amount = forms.DecimalField(label="涉及金额（元）", required=False, max_digits=14, decimal_places=2,
                                help_text="大额资金使用事项必填，须达到本乡大额资金标准。")
    lead_unit = forms.CharField(label="决策承办单位", max_length=100)
    lead_person = forms.CharField(label="承办负责人", max_length=64, required=False)
    started_on = forms.DateField(label="启动日期", widget=DATE)
    description = forms.CharField(label="事项说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    summary = forms.CharField(label="启动情况", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text="如：乡党委会议研究同意启动，确定承办单位。")
    files = MultiFileField()


class DecisionEditForm(forms.Form):
    title = forms.CharField(label="决策事项", max_length=200)
    amount = forms.DecimalField(label="涉及金额（元）", required=False, max_digits=14, decimal_places=2)
    lead_unit = forms.CharField(label="决策承办单位", max_length=100)
    lead_person = forms.CharField(label="承办负责人", max_length=64, required=False)
    description = forms.CharField(label="事项说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ConsultationForm(forms.Form):
    draft_text = forms.CharField(label="征求意见稿（将向社会公开）", widget=forms.Textarea(attrs={"rows": 6}))
    comment_start = forms.DateField(label="征求意见开始日期", widget=DATE)
    comment_end = forms.DateField(label="征求意见截止日期", widget=DATE)
    short_reason = forms.CharField(label="期限少于法定期限的理由", required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    hearing_date = forms.DateField(label="听证日期（举行听证时填写）", widget=DATE, required=False)
    hearing_materials_on = forms.DateField(label="听证材料公布/送达日期", widget=DATE, required=False)


class CommentSummaryForm(forms.Form):
    summary = forms.CharField(label="意见采纳情况（将向社会公布）", widget=forms.Textarea(attrs={"rows": 5}))
    published_on = forms.DateField(label="公布日期", widget=DATE)


class ModerateForm(forms.Form):
    status = forms.ChoiceField(label="审核", choices=[("approved", "公开"), ("rejected", "不予公开")])
    handling = forms.CharField(label="处理情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    submitted_on = forms.DateField(label="送审日期", widget=DATE)
    reviewer = forms.CharField(label="审查机构/人员", max_length=100, help_text="如：乡司法所、政府法律顾问")
    result = forms.ChoiceField(label="审查结论", choices=[("", "（尚未出具）"), *ReviewResult.choices], required=False)
    concluded_on = forms.DateField(label="审查意见出具日期", widget=DATE, required=False)
    opinion = forms.CharField(label="审查意见", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    short_reason = forms.CharField(label="审查时间少于法定工作日的理由", required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    files = MultiFileField(label="审查意见书等附件")


class StepForm(forms.Form):
    """Complete a statutory step (the decision page's #step-form: fields are named step-…)."""

    prefix = "step"
    performed_on = forms.DateField(label="办理日期", widget=DATE)
    summary = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    files = MultiFileField()


class RiskStepForm(StepForm):
    risk_level = forms.ChoiceField(label="风险等级", choices=[("", "—"), *RiskLevel.choices], required=False)
    field_order = ["performed_on", "summary", "risk_level", "files"]


class PublishStepForm(StepForm):
    published_on = forms.DateField(label="公布日期", widget=DATE, required=False)
    field_order = ["performed_on", "summary", "published_on", "files"]


class ArchiveStepForm(StepForm):
    archive_no = forms.CharField(label="档案号", max_length=60, required=False)
    field_order = ["performed_on", "summary", "archive_no", "files"]


class SkipForm(forms.Form):
    prefix = "skip"
    performed_on = forms.DateField(label="日期", widget=DATE)
    skip_reason = forms.CharField(label="不适用理由", widget=forms.Textarea(attrs={"rows": 2}))


class TerminateForm(forms.Form):
    prefix = "term"
    reason = forms.CharField(label="终止理由", widget=forms.Textarea(attrs={"rows": 2}))


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="目录名称", max_length=200)
    published_on = forms.DateField(label="公布日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DecisionSettings
        fields = ["comment_period_days", "hearing_notice_days", "legality_review_working_days",
                  "reconsideration_reply_days", "defence_statement_days", "large_fund_threshold",
                  "quorum_numerator", "quorum_denominator", "opinion_default_working_days"]


class DiscussionForm(forms.Form):
    meeting = forms.CharField(label="会议名称", max_length=120, initial="乡党委会议")
    held_on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100, required=False)
    members_total = forms.IntegerField(label="应到组成人员数", min_value=1, max_value=99)
    head_name = forms.CharField(label="主持人（行政首长）", max_length=64)
    recorder = forms.CharField(label="记录人", max_length=64, required=False)
    attendees = forms.CharField(
        label="参会人员", widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text="每行一人：姓名 职务；缺席的写“姓名 职务 缺席:原因”；列席的写“姓名 职务 列席”。")


class AttendeeForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    post = forms.CharField(label="职务", max_length=64, required=False)
    is_member = forms.BooleanField(label="组成人员", required=False, initial=True)
    present = forms.BooleanField(label="出席", required=False, initial=True)
    absence_reason = forms.CharField(label="缺席原因", max_length=100, required=False)


class OpinionForm(forms.Form):
    attendee = forms.ChoiceField(label="发言人")
    stance = forms.ChoiceField(label="表态", choices=Stance.choices)
    text = forms.CharField(label="发言要点", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, attendees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].choices = [(a.pk, f"{a.name}（{a.post}）" if a.post else a.name) for a in attendees]


class FinalizeForm(forms.Form):
    conclusion = forms.ChoiceField(label="会议结论", choices=DiscussionConclusion.choices)
    conclusion_text = forms.CharField(label="决定事项", widget=forms.Textarea(attrs={"rows": 3}))
    head_departure_reason = forms.CharField(label="行政首长决定与多数意见不一致的理由", required=False,
                                            widget=forms.Textarea(attrs={"rows": 2}))


class CounselForm(forms.ModelForm):
    class Meta:
        model = LegalCounsel
        fields = ["name", "firm", "user", "phone", "contract_start", "contract_end", "fee", "scope"]
        widgets = {"contract_start": DATE, "contract_end": DATE, "scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user_choices is not None:
            self.fields["user"].queryset = user_choices


class OpinionRequestForm(forms.Form):
    counsel = forms.ModelChoiceField(label="法律顾问", queryset=LegalCounsel.objects.none())
    subject_type = forms.ChoiceField(label="事项类型", choices=list(SUBJECT_LABELS.items()))
    subject_id = forms.IntegerField(label="关联事项编号", required=False, min_value=1,
                                    help_text="关联平台内的具体记录时填写其编号。")
    subject_label = forms.CharField(label="事项名称", max_length=200, required=False)
    question = forms.CharField(label="征求意见的问题", widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label="要求回复日期", widget=DATE, required=False,
                             help_text="不填则按本乡设置的默认工作日数计算。")
    files = MultiFileField()

    def __init__(self, *args, counsel_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counsel_qs is not None:
            self.fields["counsel"].queryset = counsel_qs


class AnswerForm(forms.Form):
    answer = forms.CharField(label="法律意见", widget=forms.Textarea(attrs={"rows": 8}))
    answered_on = forms.DateField(label="出具日期", widget=DATE)
    files = MultiFileField()


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}))


class LitigationForm(forms.ModelForm):
    head_appeared = forms.NullBooleanField(label="负责人出庭应诉", required=False)

    class Meta:
        model = Litigation
        fields = ["kind", "case_no", "organ", "claimant", "subject", "subject_type", "subject_id", "received_on",
                  "reply_submitted_on", "hearing_on", "head_appeared", "head_name", "head_absence_reason",
                  "counsel", "outcome", "outcome_on", "note"]
        widgets = {"received_on": DATE, "reply_submitted_on": DATE, "hearing_on": DATE, "outcome_on": DATE,
                   "note": forms.Textarea(attrs={"rows": 3}),
                   "subject_type": forms.Select(choices=[("", "（不关联）"), *SUBJECT_LABELS.items()])}

    def __init__(self, *args, counsel_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head_appeared"].widget.choices = [("unknown", "未开庭/未登记"), ("true", "是"), ("false", "否")]
        if counsel_qs is not None:
            self.fields["counsel"].queryset = counsel_qs


class PublicCommentForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="署名（可不填）", max_length=40, required=False)
    contact = forms.CharField(label="联系方式（不公开，可不填）", max_length=60, required=False)
    body = forms.CharField(label="您的意见", widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
                           max_length=2000)


class CaseStepForm(forms.Form):
    reason = forms.CharField(label="说明", required=False, max_length=500)
