from django import forms

from fazhi.organization.models import (
    AnnualPlan,
    BudgetLine,
    DutyList,
    GroupMember,
    LeadingGroup,
    NextStepItem,
    PlanTask,
    TopicMeeting,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GroupForm(forms.ModelForm):
    copy_previous = forms.BooleanField(label="沿用上一年度在任成员", required=False, initial=True)

    class Meta:
        model = LeadingGroup
        fields = ["year", "name", "document_no", "established_on", "office", "duties"]
        widgets = {"established_on": DATE, "duties": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["group_role", "name", "post", "order", "joined_on", "change_reason"]
        widgets = {"joined_on": DATE}


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label="退出日期", widget=DATE)
    reason = forms.CharField(label="变动原因", max_length=200)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = TopicMeeting
        fields = ["date", "title", "place", "chair", "attendees", "agenda", "minutes", "decisions"]
        widgets = {"date": DATE, "attendees": forms.Textarea(attrs={"rows": 4}),
                   "agenda": forms.Textarea(attrs={"rows": 3}), "minutes": forms.Textarea(attrs={"rows": 5}),
                   "decisions": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(forms.Form):
    content = forms.CharField(label="落实事项", max_length=300)
    owner = forms.CharField(label="责任单位/人", max_length=100)
    due_date = forms.DateField(label="完成时限", widget=DATE)


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    result = forms.CharField(label="落实情况", max_length=300)


class PlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "title", "document_no", "issued_on", "summary"]
        widgets = {"issued_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


class TaskForm(forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = ["seq", "area", "title", "description", "owner_unit", "owner_person", "due_date", "priority"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ProgressForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    progress = forms.IntegerField(label="进度(%)", min_value=0, max_value=100)
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    proof = forms.FileField(label="佐证材料", required=False,
                            help_text="PDF、OFD、图片、Word、Excel，单个不超过 20MB")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class NextStepForm(forms.ModelForm):
    class Meta:
        model = NextStepItem
        fields = ["seq", "area", "title", "content", "owner_unit"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "subject", "amount", "source", "note"]


class SpendForm(forms.Form):
    date = forms.DateField(label="支出日期", widget=DATE)
    amount = forms.DecimalField(label="金额(元)", max_digits=12, decimal_places=2)
    purpose = forms.CharField(label="用途", max_length=200)
    voucher_no = forms.CharField(label="凭证号", max_length=60, required=False)


class DutyListForm(forms.ModelForm):
    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else self.fields["village"].queryset.none()

    class Meta:
        model = DutyList
        fields = ["year", "unit", "person", "village", "laws"]
        widgets = {"laws": forms.Textarea(attrs={"rows": 3})}


class ObligationForm(forms.Form):
    content = forms.CharField(label="普法任务", max_length=300)
    target_events = forms.IntegerField(label="应开展活动次数", min_value=1, max_value=100, initial=1)
    due_date = forms.DateField(label="完成时限", widget=DATE, required=False)


class LinkEventsForm(forms.Form):
    events = forms.ModelMultipleChoiceField(label="履行该责任的普法活动", queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, events_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events_qs
