from decimal import Decimal, InvalidOperation

from django import forms

from fazhi.education.models import LawKind, Official, PublicityEvent, PublicityPlan, StudySession, Venue
from fazhi.education.selectors import law_catalogue, topic_catalogue

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficialForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["name", "post", "is_leader", "order", "active"]


class SessionForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(label="参学人员", queryset=Official.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    partial_hours = forms.CharField(label="个别人员学时", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="迟到、早退者每行写“姓名 学时”，如“唐法治 1”；未列出的按本次学时计")

    def clean_partial_hours(self):
        out = {}
        for n, line in enumerate((self.cleaned_data.get("partial_hours") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                out[parts[0]] = Decimal(parts[1]) if len(parts) == 2 else None
            except InvalidOperation:
                out[parts[0]] = None
            if out[parts[0]] is None:
                raise forms.ValidationError(f"第{n}行格式不对：“{line.strip()}”，应写成“姓名 学时”。")
        return out

    def __init__(self, *args, officials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["laws"].queryset = law_catalogue()
        self.fields["laws"].widget = forms.CheckboxSelectMultiple(choices=self.fields["laws"].choices)
        self.fields["laws"].required = True
        if officials is not None:
            self.fields["attendees"].queryset = officials
        if self.instance.pk and not self.is_bound:
            rows = list(self.instance.attendance.select_related("official"))
            self.initial["attendees"] = [a.official_id for a in rows]
            self.initial["partial_hours"] = "\n".join(f"{a.official.name} {a.hours.normalize()}" for a in rows
                                                       if a.hours != self.instance.hours)

    class Meta:
        model = StudySession
        fields = ["kind", "date", "topic", "laws", "speaker", "place", "hours", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class EventForm(forms.ModelForm):
    def __init__(self, *args, villages=None, venues=None, obligations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["topics"].queryset = topic_catalogue()
        self.fields["topics"].widget = forms.CheckboxSelectMultiple(choices=self.fields["topics"].choices)
        self.fields["venue"].queryset = venues
        self.fields["obligations"].queryset = obligations
        self.fields["obligations"].widget = forms.CheckboxSelectMultiple(choices=self.fields["obligations"].choices)
        self.fields["obligations"].required = False

    class Meta:
        model = PublicityEvent
        fields = ["date", "village", "place", "theme", "topics", "format", "organizer", "audience", "aud_under18",
                  "aud_18_39", "aud_40_59", "aud_60_plus", "posters", "leaflets", "venue", "obligations", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"audience": "到场群众人次；各年龄段人数之和应与之相等"}


class PhotoForm(forms.Form):
    image = forms.FileField(label="照片")
    caption = forms.CharField(label="说明", max_length=200, required=False)


class VenueForm(forms.ModelForm):
    """New venue: its state as found; an existing one changes state through the venue steps (workflow.py)."""

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if self.instance.pk:
            del self.fields["state"]

    class Meta:
        model = Venue
        fields = ["village", "name", "kind", "place", "state", "built_on", "notes"]
        widgets = {"built_on": DATE}


class VenueStateForm(forms.Form):
    reason = forms.CharField(label="状态变更原因", max_length=300, required=False,
                             help_text="如“风雨损坏，宣传牌褪色”")


class PubPlanForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_topics"].queryset = topic_catalogue()
        self.fields["key_topics"].widget = forms.CheckboxSelectMultiple(choices=self.fields["key_topics"].choices)

    class Meta:
        model = PublicityPlan
        fields = ["year", "title", "planned_events", "target_audience", "target_posters", "target_leaflets",
                  "target_villages", "key_topics", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class CatalogueAddForm(forms.Form):
    kind = forms.ChoiceField(label="目录", choices=[("law", "法律法规目录"), ("topic", "普法主题")])
    name = forms.CharField(label="名称", max_length=120)
    law_kind = forms.ChoiceField(label="法规类别", choices=LawKind.choices, required=False)
