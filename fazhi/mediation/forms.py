"""The forms of the dispute ledger, petitions, committees, the catalogue and applications. A step's form
(workflow.py) takes no extra arguments: choices that depend on the record are set by the step's `prepare`."""

import datetime as dt

from django import forms

from fazhi.core.scope import villages_for
from fazhi.core.steps import StatusField
from fazhi.mediation import selectors
from fazhi.mediation.models import (
    Agreement,
    Application,
    Dispute,
    DisputeType,
    FollowUp,
    Level,
    MediationSettings,
    Mediator,
    Party,
    Petition,
    Signature,
    validate_id_number,
    validate_phone,
)
from fazhi.mediation.permissions import COMMITTEE_ROLES, HANDLE_ROLES, PETITION_ROLES
from fazhi.mediation.services.applications import DECLINE_REASONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, required=True, initial=dt.date.today, **kw):
    return forms.DateField(label=label, required=required, initial=initial, widget=DateInput(), **kw)


def text(label, rows=3, required=True, **kw):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


def tel(label, required=False):
    return forms.CharField(label=label, required=required, max_length=20, validators=[validate_phone],
                           widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


def id_no(label):
    return forms.CharField(label=label, required=False, max_length=18, validators=[validate_id_number],
                           widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DisputeIntakeForm(forms.Form):
    """Short enough to fill on a phone in under a minute; more parties can be added on the detail page."""

    village = VillageChoiceField(label="所在村", queryset=None, empty_label=None)
    dispute_type = forms.ModelChoiceField(label="纠纷类型", queryset=None, empty_label="请选择")
    source = forms.ChoiceField(label="来源", choices=Dispute.Source.choices, initial=Dispute.Source.SCREENING)
    summary = text("纠纷简要情况", rows=3, max_length=2000)
    party1_name = forms.CharField(label="申请人（当事人一）姓名", max_length=64)
    party1_phone = tel("当事人一电话")
    party1_id = id_no("当事人一身份证号")
    party2_name = forms.CharField(label="被申请人（当事人二）姓名", max_length=64, required=False)
    party2_phone = tel("当事人二电话")
    risk_level = forms.ChoiceField(label="风险等级", choices=Dispute.Risk.choices, initial=Dispute.Risk.LOW)
    received_on = date_field("受理日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user, HANDLE_ROLES).select_related("parent")
        self.fields["dispute_type"].queryset = selectors.active_types()

    def parties(self) -> list[dict]:
        c = self.cleaned_data
        out = [{"name": c["party1_name"], "phone": c["party1_phone"], "id_number": c["party1_id"],
                "side": Party.Side.APPLICANT}]
        if c.get("party2_name"):
            out.append({"name": c["party2_name"], "phone": c["party2_phone"], "side": Party.Side.RESPONDENT})
        return out


class PartyForm(forms.Form):
    side = forms.ChoiceField(label="当事人身份", choices=Party.Side.choices)
    name = forms.CharField(label="姓名/名称", max_length=64)
    id_number = id_no("身份证号码")
    phone = tel("联系电话")
    address = forms.CharField(label="住址", max_length=200, required=False)


class MediatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.committee.name}{obj.get_position_display()}）"


class StartForm(forms.Form):
    mediators = MediatorChoice(label="承办调解员", queryset=Mediator.objects.none(), widget=forms.CheckboxSelectMultiple)
    started_on = date_field("开始调解日期")
    reason = forms.CharField(label="说明", max_length=200, required=False)

    def for_dispute(self, dispute) -> None:
        qs = selectors.mediators_for(dispute.township)
        if dispute.level == Level.VILLAGE:
            qs = qs.filter(committee__village=dispute.village) | qs.filter(committee__level=Level.TOWNSHIP)
        self.fields["mediators"].queryset = qs.select_related("committee")

    def clean_reason(self):
        return self.cleaned_data["reason"] or "开始调解"


class BulkStartForm(forms.Form):
    """批量指定调解员: the same fields as 开始调解, for the checked disputes' townships."""

    mediators = MediatorChoice(label="承办调解员", queryset=Mediator.objects.none(), widget=forms.CheckboxSelectMultiple)
    started_on = date_field("开始调解日期")
    reason = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, townships=(), **kw):
        super().__init__(*args, **kw)
        qs = Mediator.objects.none()
        for t in townships:
            qs = qs | selectors.mediators_for(t)
        self.fields["mediators"].queryset = qs.select_related("committee").order_by("township_id", "committee__level",
                                                                                     "committee__name", "id")


class SessionForm(forms.Form):
    held_on = date_field("调解日期")
    place = forms.CharField(label="调解地点", max_length=100)
    participants = forms.CharField(label="参加人员", max_length=300)
    record = text("调解情况（各方陈述及调解经过）", rows=5)
    next_step = forms.CharField(label="下一步安排", max_length=300, required=False)


class AgreementEditForm(forms.Form):
    form = forms.ChoiceField(label="协议形式", choices=Dispute.AgreementForm.choices)
    facts = text("纠纷主要事实、争议事项及各方当事人的责任", rows=4)
    terms = text("当事人达成调解协议的内容", rows=4)
    performance_method = forms.CharField(label="履行方式", max_length=200)
    performance_due = date_field("履行期限", initial=None)
    agreed_on = date_field("达成日期")
    copies = forms.IntegerField(label="协议书份数", min_value=1, max_value=20, required=False,
                                help_text="留空则按当事人各执一份、调委会留存一份计算")


class SignForm(forms.Form):
    step = forms.ChoiceField(label="签署步骤")
    method = forms.ChoiceField(label="方式", choices=Signature.Method.choices)
    signed_on = date_field("签署日期")

    def for_steps(self, steps) -> None:
        self.fields["step"].choices = steps


class ResolveForm(forms.Form):
    closed_on = date_field("办结日期")
    agreement_form = forms.ChoiceField(label="协议形式", choices=Dispute.AgreementForm.choices)
    reason = text("情况说明", rows=2, required=False)


class TerminateForm(forms.Form):
    closed_on = date_field("办结日期")
    reason = text("调解不成的原因", rows=2)
    routes_told = forms.BooleanField(label="已告知当事人可依法通过仲裁、行政、司法等途径维护权利", required=False)
    referral = forms.CharField(label="移送/引导去向", max_length=200, required=False)


class RefuseForm(forms.Form):
    closed_on = date_field("办结日期")
    refused_by = forms.CharField(label="拒绝调解的当事人", max_length=64)
    reason = text("当事人拒绝调解的情况", rows=2)


class ReopenForm(forms.Form):
    reason = text("重新调解的理由", rows=2)


class EscalateForm(forms.Form):
    to_level = forms.ChoiceField(label="上报至", choices=Level.choices[1:])
    risk_level = forms.ChoiceField(label="风险等级", choices=Dispute.Risk.choices)
    reason = text("上报理由", rows=2)


class FollowUpForm(forms.Form):
    visited_on = date_field("回访日期")
    method = forms.ChoiceField(label="回访方式", choices=FollowUp.Method.choices)
    visitor = forms.CharField(label="回访人", max_length=64)
    performance = forms.ChoiceField(label="协议履行情况", choices=Agreement.Performance.choices[1:])
    note = text("回访情况", rows=3, required=False)


class ConfirmationForm(forms.Form):
    applied_on = date_field("当事人申请司法确认日期")


class ScreeningForm(forms.Form):
    village = VillageChoiceField(label="村", queryset=None, empty_label=None)
    period = forms.DateField(label="排查月份", widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                             input_formats=["%Y-%m", "%Y-%m-%d"], initial=lambda: dt.date.today().replace(day=1))
    held_on = date_field("排查日期")
    screeners = forms.CharField(label="排查人员", max_length=200)
    findings = text("排查情况", rows=3, required=False, help_text="未发现纠纷请写“未发现矛盾纠纷”")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user, HANDLE_ROLES).select_related("parent")


class VillagesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BulkScreeningForm(forms.Form):
    """One month's screening done in several villages at once (the same checks as one round each)."""

    villages = VillagesChoiceField(label="村", queryset=None, widget=forms.CheckboxSelectMultiple)
    period = ScreeningForm.base_fields["period"]
    held_on = date_field("排查日期")
    screeners = forms.CharField(label="排查人员", max_length=200)
    findings = text("排查情况", rows=3, required=False, help_text="未发现纠纷请写“未发现矛盾纠纷”")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages_for(user, HANDLE_ROLES).select_related("parent")


class PetitionForm(forms.Form):
    petitioner = forms.CharField(label="信访人", max_length=64)
    phone = tel("联系电话")
    id_number = id_no("身份证号码")
    form = forms.ChoiceField(label="信访形式", choices=Petition.Form.choices)
    village = VillageChoiceField(label="所涉村", queryset=None, required=False, empty_label="（不涉及具体村）")
    content = text("信访事项", rows=4)
    received_on = date_field("收到日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user, PETITION_ROLES).select_related("parent")


class PetitionNoticeForm(forms.Form):
    on = date_field("书面告知日期")
    reason = text("理由/说明", rows=2, required=False)


class PetitionConcludeForm(forms.Form):
    on = date_field("办结日期")
    conclusion = text("处理意见", rows=3)


class PetitionExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=90, initial=30)
    reason = text("延期理由", rows=2)
    approved_on = date_field("批准日期")


class CommitteeForm(forms.Form):
    name = forms.CharField(label="名称", max_length=64)
    level = forms.ChoiceField(label="层级", choices=Level.choices[:2])
    village = VillageChoiceField(label="所在村（村调委会）", queryset=None, required=False)
    established_on = date_field("成立日期", required=False, initial=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user, COMMITTEE_ROLES)


class MediatorForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=32)
    position = forms.ChoiceField(label="职务", choices=Mediator.Position.choices, initial=Mediator.Position.MEMBER)
    term_start = date_field("任期开始")
    term_end = date_field("任期届满", required=False, initial=None, help_text="留空按每届三年计算")
    phone = tel("联系电话")


class DisputeTypeForm(forms.ModelForm):
    class Meta:
        model = DisputeType
        fields = ["name", "order", "active"]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MediationSettings
        fields = ["target_months", "confirmation_days", "followup_days", "petition_receipt_days",
                  "petition_conclude_days", "petition_extension_max_days", "screening_period_months",
                  "committee_min_members", "committee_max_members", "committee_term_years"]


class SeenPending(StatusField):
    """An application is only ever handled from 待受理: a post without the status the user saw counts as
    having seen 待受理, so a second click is told 已被他人处理 instead of a transition-table refusal."""

    def clean(self, value):
        return super().clean(value) or Application.Status.SUBMITTED


class AcceptForm(forms.Form):
    dispute_type = forms.ModelChoiceField(label="纠纷类型", queryset=DisputeType.objects.none(), empty_label="请选择")
    risk_level = forms.ChoiceField(label="风险等级", choices=Dispute.Risk.choices, initial=Dispute.Risk.LOW)
    expected_status = SeenPending()

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["dispute_type"].queryset = selectors.active_types()


class DeclineForm(forms.Form):
    reason_key = forms.ChoiceField(label="不予受理理由", choices=list(DECLINE_REASONS.items()))
    note = forms.CharField(label="补充说明（将告知申请人）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    expected_status = SeenPending()
