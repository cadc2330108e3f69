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
