from django import forms

from fazhi.disclosure.models import (
    DESCRIPTION_MAX,
    ApplicantKind,
    Category,
    CategoryGroup,
    Channel,
    ClockStop,
    DeliveryForm,
    DisclosureSettings,
    ExemptReason,
    ItemExemptGround,
    ReplyType,
)

DATE = forms.DateInput(attrs={"type": "date"})


class TownshipChoiceMixin:
    def set_townships(self, townships):
        towns = list(townships)
        if len(towns) > 1:
            self.fields["township"] = forms.ModelChoiceField(label="乡镇", queryset=townships)
        return towns


class ItemForm(forms.Form):
    category = forms.ModelChoiceField(label="公开类目", queryset=Category.objects.filter(active=True))
    title = forms.CharField(label="标题", max_length=200)
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    formed_on = forms.DateField(label="信息形成（变更）日期", widget=DATE,
                                help_text="条例第二十六条：自该日起20个工作日内公开")
    summary = forms.CharField(label="摘要", max_length=300, required=False)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 12}), max_length=200_000,
                           help_text="可使用简单HTML排版（段落、加粗、列表、表格、链接）；脚本等不安全内容会被自动清除")


# --- workflow steps (fazhi.disclosure.workflow): each step's form; cleaned_data is the step's data ---------

class NoInputForm(forms.Form):
    """A step that needs nothing typed (publish now, back to draft)."""


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(label="定时发布时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class UnpublishForm(forms.Form):
    unpublish_reason = forms.CharField(label="撤回理由", max_length=1000)


class ExemptForm(forms.Form):
    exempt_ground = forms.ChoiceField(label="不予公开的依据", choices=[("", "请选择")] + ItemExemptGround.choices)
    exempt_note = forms.CharField(label="不予公开的理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    exempt_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}), required=False,
                                help_text="不填为今天")


class ReopenForm(forms.Form):
    note = forms.CharField(label="重新纳入公开的理由", max_length=1000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")


class CategoryForm(forms.Form):
    name = forms.CharField(label="类目名称", max_length=60)
    group = forms.ChoiceField(label="类别", choices=CategoryGroup.choices)
    basis = forms.CharField(label="依据", max_length=120, required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=9999, initial=100)
    active = forms.BooleanField(label="启用", required=False, initial=True)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DisclosureSettings
        fields = ["publish_working_days", "correction_working_days", "third_party_working_days",
                  "answer_working_days", "extension_max_working_days", "public_requests_per_hour",
                  "public_lookups_per_hour", "office_name", "office_contact"]


class ApplicantForm(forms.Form):
    """The applicant's part of a request (条例第二十九条); used by the portal and by staff entry."""

    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label="姓名/名称", max_length=100)
    id_type = forms.CharField(label="证件类型", max_length=30, initial="居民身份证")
    id_number = forms.CharField(label="证件号码/统一社会信用代码", max_length=40)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    contact_email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    contact_address = forms.CharField(label="通信地址", max_length=200, required=False)
    description = forms.CharField(label="所需信息的名称、文号或特征性描述", max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    delivery_form = forms.ChoiceField(label="获取信息的方式", choices=DeliveryForm.choices)


class StaffRequestForm(ApplicantForm):
    channel = forms.ChoiceField(label="提交渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(label="收到申请日期", widget=DATE,
                                  help_text="当面提交：提交之日；邮寄：签收之日；平常信函、传真：双方确认之日（条例第三十一条）")


def _note(label="说明", required=False):
    """What the transition row records as the step's reason (core keeps 500 characters)."""
    return forms.CharField(label=label, required=required, max_length=500)


class ConfirmForm(forms.Form):
    received_on = forms.DateField(label="收到申请日期（双方确认之日）", required=False, widget=DATE)
    note = _note()


class CorrectionForm(forms.Form):
    correction_note = forms.CharField(label="需补正的事项及补正期限", max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    note = _note()


class CorrectedForm(forms.Form):
    corrected_on = forms.DateField(label="收到补正日期", required=False, widget=DATE)
    corrected_description = forms.CharField(label="补正后的申请内容", max_length=DESCRIPTION_MAX,
                                            widget=forms.Textarea(attrs={"rows": 3}))
    note = _note()


class ConsultForm(forms.Form):
    # Art. 32 caps only a third party's time (15 working days); consulting another agency (Art. 33 ¶3) is recorded
    kind = forms.ChoiceField(label="征求对象", choices=ClockStop._meta.get_field("kind").choices, initial="third_party")
    third_party = forms.CharField(label="被征求意见的第三方或机关", max_length=100)
    started_on = forms.DateField(label="发出征求意见日期", required=False, widget=DATE)
    note = _note()


class ConsultEndForm(forms.Form):
    ended_on = forms.DateField(label="收到意见（或期满）日期", required=False, widget=DATE)
    opinion = forms.CharField(label="第三方意见", required=False, max_length=2000)
    note = _note()


class ExtendForm(forms.Form):
    extension_days = forms.IntegerField(label="延长工作日数（最多20）", required=False, min_value=1, max_value=20,
                                        initial=20)
    extension_reason = forms.CharField(label="延期理由（将告知申请人）", max_length=2000)
    approved_by = forms.ModelChoiceField(label="批准人（负责人）", required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from fazhi.accounts.models import User

        self.fields["approved_by"].queryset = User.objects.none()  # the township's leaders: the step prepares it


class AnswerForm(forms.Form):
    """条例第三十六条、第三十七条: what each reply type must carry is checked by the step."""

    reply_type = forms.ChoiceField(label="答复类型", required=False, choices=[("", "请选择")] + ReplyType.choices)
    reply_on = forms.DateField(label="答复日期", required=False, widget=DATE)
    where_public = forms.CharField(label="已公开信息的获取途径（已主动公开时必填）", required=False, max_length=300)
    exempt_reason = forms.ChoiceField(label="不予公开理由（不予公开、部分公开时必填）", required=False,
                                      choices=[("", "—")] + ExemptReason.choices)
    legal_basis = forms.CharField(label="法律依据", required=False, max_length=300)
    right_agency = forms.CharField(label="负责公开的机关及联系方式（非本机关负责时必填）", required=False, max_length=200)
    special_channel = forms.CharField(label="特别规定的获取渠道", required=False, max_length=200)
    reply_text = forms.CharField(label="答复正文补充", required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    fee_amount = forms.DecimalField(label="信息处理费（元）", required=False, min_value=0, max_digits=9,
                                    decimal_places=2)
    note = _note()


class WithdrawForm(forms.Form):
    note = _note("原因", required=True)


class AnnualExtraForm(forms.Form):
    """Table 四 figures and the report's text parts (条例第五十条)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in (("reconsideration", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
                           ("litigation_after", "复议后起诉")):
            for sub, sub_label in (("maintained", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                                   ("pending", "尚未审结")):
                self.fields[f"{key}__{sub}"] = forms.IntegerField(label=f"{label}·{sub_label}", min_value=0,
                                                                  max_value=9999, initial=0)
        self.fields["problems"] = forms.CharField(label="存在的主要问题及改进情况", required=False, max_length=5000,
                                                  widget=forms.Textarea(attrs={"rows": 4}))
        self.fields["other"] = forms.CharField(label="其他需要报告的事项", required=False, max_length=5000,
                                               widget=forms.Textarea(attrs={"rows": 3}))
