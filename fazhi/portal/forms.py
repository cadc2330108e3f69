from django import forms

from fazhi.disclosure.forms import ApplicantForm


class PublicRequestForm(ApplicantForm):
    """The public request form; `website` is a honeypot a person never sees or fills."""

    website = forms.CharField(required=False, label="网址（请勿填写）",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    consent = forms.BooleanField(label="我确认以上信息真实，并同意本机关为办理申请使用这些个人信息", required=True)


class StatusForm(forms.Form):
    tracking_no = forms.CharField(label="查询码", max_length=20,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "如 7K3M-9QXR-2PAB",
                                                                "autocapitalize": "characters"}))


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=100, required=False)


class MediationApplyForm(forms.Form):
    """申请调解 on the portal; `website` is a honeypot. Photos are optional (JPG/PNG, 3 × 5 MB)."""

    village = forms.ModelChoiceField(label="纠纷发生地（村）", queryset=None, empty_label="请选择")
    applicant_name = forms.CharField(label="您的姓名", max_length=64)
    applicant_phone = forms.CharField(label="联系电话", max_length=20)
    applicant_address = forms.CharField(label="住址", max_length=200, required=False)
    other_party = forms.CharField(label="对方当事人姓名或名称", max_length=64)
    other_party_phone = forms.CharField(label="对方联系电话（知道的话）", max_length=20, required=False)
    facts = forms.CharField(label="发生了什么", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    wish = forms.CharField(label="您希望怎样解决", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = forms.FileField(label="照片（可选，最多3张）", required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    website = forms.CharField(required=False, label="网址（请勿填写）",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    consent = forms.BooleanField(label="我自愿申请人民调解，确认以上信息真实，并同意调解组织为办理本申请使用这些信息",
                                 required=True)

    def __init__(self, *a, township=None, **kw):
        super().__init__(*a, **kw)
        from fazhi.core.models import Region, RegionLevel

        self.fields["village"].queryset = Region.objects.filter(parent=township, level=RegionLevel.VILLAGE) \
            if township else Region.objects.none()

    def clean_applicant_phone(self):
        from fazhi.mediation.models import validate_phone

        v = self.cleaned_data["applicant_phone"].strip()
        validate_phone(v)
        return v

    def clean_other_party_phone(self):
        from fazhi.mediation.models import validate_phone

        v = self.cleaned_data["other_party_phone"].strip()
        if v:
            validate_phone(v)
        return v


class MediationStatusForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
