import datetime as dt

from django import forms


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据文件", max_length=200, required=False,
                             help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
    holidays_text = forms.CharField(label="放假日期", widget=forms.Textarea(attrs={"rows": 8}),
                                    help_text="每行一段：2027-10-01 至 2027-10-07 国庆节")
    workdays_text = forms.CharField(label="调休上班日期", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                    help_text="每行一天：2027-09-26 国庆节")


class DeadlineForm(forms.Form):
    UNITS = [("working_days", "工作日"), ("days", "日（自然日）"), ("months", "个月")]
    start = forms.DateField(label="起算日", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(label="期限", min_value=0, max_value=3650, initial=7)
    unit = forms.ChoiceField(label="单位", choices=UNITS, initial="working_days")


class RegionForm(forms.Form):
    code = forms.RegexField(label="区划代码", regex=r"^\d{12}$", max_length=12,
                          error_messages={"invalid": "区划代码应为12位数字。"})
    name = forms.CharField(label="名称", max_length=64)
    level = forms.ChoiceField(label="层级", choices=[("township", "乡镇"), ("village", "村")])
    parent = forms.ModelChoiceField(label="上级区划", queryset=None)
    population = forms.IntegerField(label="户籍人口", min_value=0, required=False)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
