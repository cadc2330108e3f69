from __future__ import annotations

import datetime as dt

from django import forms

from fazhi.core.models import Region, RegionLevel
from fazhi.oversight.models import IndicatorSource, NoticeKind, NoticeSource, Section, Standard


class RoundForm(forms.Form):
    title = forms.CharField(label="评查名称", max_length=200)
    year = forms.IntegerField(label="评查年度", min_value=2000, max_value=2100)
    standard = forms.ModelChoiceField(label="评查标准", queryset=Standard.objects.none())
    sample_rate = forms.IntegerField(label="抽取比例（%）", min_value=1, max_value=100, initial=20)
    min_per_township = forms.IntegerField(label="每乡镇至少抽取（件）", min_value=0, max_value=100, initial=1)
    include_coercion = forms.BooleanField(label="同时抽取本年度已办结的行政强制执行案卷（执行完毕或终结执行）",
                                          required=False, initial=False)
    double_review = forms.BooleanField(label="每卷两名评查人（差异超出容许值须合议）", required=False, initial=True)
    tolerance = forms.DecimalField(label="两评差异容许（分）", min_value=0, max_value=100, max_digits=4,
                                   decimal_places=1, initial=5)

    def __init__(self, *a, standards=None, **kw):
        super().__init__(*a, **kw)
        self.fields["standard"].queryset = standards if standards is not None else Standard.objects.none()


class DrawForm(forms.Form):
    seed = forms.CharField(label="抽取种子（留空则随机生成，抽取后公开）", max_length=64, required=False)


class ConfirmForm(forms.Form):
    """A step that needs nothing typed: the button (with its confirmation) is the form."""


class ResolveForm(forms.Form):
    final_score = forms.DecimalField(label="合议得分", min_value=0, max_value=100, max_digits=5, decimal_places=1)
    veto = forms.BooleanField(label="认定存在否决项（不合格）", required=False)
    resolution = forms.CharField(label="合议意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    section = forms.ChoiceField(label="评查项目", choices=Section.choices)
    text = forms.CharField(label="评查内容", max_length=300)
    points = forms.DecimalField(label="分值", min_value=0, max_value=100, max_digits=5, decimal_places=1)
    veto = forms.BooleanField(label="否决项", required=False)
    order = forms.IntegerField(label="顺序", min_value=0, max_value=1000, initial=100)


class NoticeForm(forms.Form):
    township = forms.ModelChoiceField(label="被督办乡镇", queryset=Region.objects.none())
    kind = forms.ChoiceField(label="类型", choices=NoticeKind.choices)
    source = forms.ChoiceField(label="来源", choices=NoticeSource.choices, initial=NoticeSource.OTHER)
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="督办/整改事项及要求", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    subject_label = forms.CharField(label="涉及事项（案号、台账名称等）", max_length=200, required=False)
    period_working_days = forms.IntegerField(label="答复期限（工作日）", min_value=1, max_value=120, initial=15)

    def __init__(self, *a, counties=None, **kw):
        super().__init__(*a, **kw)
        qs = Region.objects.none()
        for c in counties or []:
            qs = qs | Region.objects.filter(path__startswith=c.path, level=RegionLevel.TOWNSHIP)
        self.fields["township"].queryset = qs.order_by("code")


class AnswerForm(forms.Form):
    answer = forms.CharField(label="已采取的整改措施及结果", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    answered_on = forms.DateField(label="答复日期", widget=forms.DateInput(attrs={"type": "date"}),
                                  initial=dt.date.today)
    proof = forms.FileField(label="佐证材料（可选，PDF/图片/Office文件，20MB以内）", required=False)

    def clean_proof(self):
        f = self.cleaned_data.get("proof")
        if f and f.size > 20 * 1024 * 1024:
            raise forms.ValidationError("佐证材料不能超过20MB。")
        if f and not f.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx",
                                              ".ofd")):
            raise forms.ValidationError("请上传PDF、图片或Office文件。")
        return f


class ReviewOpinionForm(forms.Form):
    opinion = forms.CharField(label="审核意见", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class IndicatorForm(forms.Form):
    name = forms.CharField(label="指标", max_length=100)
    source = forms.ChoiceField(label="计算方式", choices=IndicatorSource.choices)
    weight = forms.DecimalField(label="权重（分）", min_value=0, max_value=100, max_digits=5, decimal_places=1)
    order = forms.IntegerField(label="顺序", min_value=0, max_value=1000, initial=100)


class ManualScoreForm(forms.Form):
    township = forms.ModelChoiceField(label="乡镇", queryset=Region.objects.none())
    value = forms.DecimalField(label="得分率（%）", min_value=0, max_value=100, max_digits=5, decimal_places=1)
    proof = forms.CharField(label="评分依据（佐证）", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *a, county=None, **kw):
        super().__init__(*a, **kw)
        if county is not None:
            self.fields["township"].queryset = Region.objects.filter(path__startswith=county.path,
                                                                     level=RegionLevel.TOWNSHIP).order_by("code")


def year_param(request, default: int) -> int:
    try:
        y = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return y if 2000 <= y <= 2100 else default
