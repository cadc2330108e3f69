from django import forms
from django.contrib.auth import get_user_model

from fazhi.evidence.models import Stage


def _dt_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EvidenceMetaForm(forms.Form):
    """登记信息: what a recording is, where and when it was made, by whom."""

    stage = forms.ChoiceField(label="执法环节", choices=Stage.choices)
    device = forms.CharField(label="记录设备", max_length=120, required=False,
                             help_text="如：执法记录仪 DSJ-A8 编号 0031")
    officers = forms.ModelMultipleChoiceField(label="执法人员", queryset=get_user_model().objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    started_at = forms.DateTimeField(label="开始时间", required=False, widget=_dt_widget(),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    ended_at = forms.DateTimeField(label="结束时间", required=False, widget=_dt_widget(),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="地点", max_length=200, required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, township=None, **kwargs):
        super().__init__(*args, **kwargs)
        if township is not None:
            from fazhi.evidence.services import officer_candidates

            self.fields["officers"].queryset = officer_candidates(township)

    def clean(self):
        data = super().clean()
        if data.get("started_at") and data.get("ended_at") and data["ended_at"] < data["started_at"]:
            self.add_error("ended_at", "结束时间不能早于开始时间。")
        return data


class UploadForm(EvidenceMetaForm):
    purpose = forms.CharField(label="上传说明（用途）", max_length=500, initial="执法全过程记录归档", required=False)


PURPOSES = [
    ("案件办理", "案件办理"),
    ("法制审核", "法制审核"),
    ("集体讨论", "集体讨论"),
    ("听证", "听证"),
    ("行政复议、诉讼举证", "行政复议、诉讼举证"),
    ("执法监督检查", "执法监督检查"),
    ("其他", "其他（请说明）"),
]


class PurposeForm(forms.Form):
    """Every playback, download and export states why (chain of custody)."""

    purpose = forms.ChoiceField(label="调取用途", choices=PURPOSES)
    detail = forms.CharField(label="具体说明", max_length=300, required=False,
                             help_text="如案件编号、复议案号、审核事项")

    def clean(self):
        data = super().clean()
        if data.get("purpose") == "其他" and not (data.get("detail") or "").strip():
            self.add_error("detail", "选择“其他”时请说明用途。")
        return data

    def purpose_text(self) -> str:
        p, d = self.cleaned_data["purpose"], (self.cleaned_data.get("detail") or "").strip()
        return f"{p}：{d}" if d else p


class DisposeForm(forms.Form):
    basis = forms.CharField(label="销毁决定文号或依据", max_length=200)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RetentionRuleForm(forms.Form):
    stage = forms.ChoiceField(label="执法环节", choices=Stage.choices)
    years = forms.IntegerField(label="保存年限", min_value=1, max_value=100, required=False,
                               help_text="留空表示永久保存")
    basis = forms.CharField(label="依据", max_length=200, required=False)
