from django import forms

from fazhi.accounts.roles import Role


class TokenForm(forms.Form):
    token = forms.CharField(label="动态验证码", max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class UserCreateForm(forms.Form):
    username = forms.RegexField(label="用户名", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
                                error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + -"})
    full_name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    post = forms.CharField(label="职务", max_length=64, required=False)
    region = forms.ModelChoiceField(label="所属区划", queryset=None)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=10)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class MembershipForm(forms.Form):
    region = forms.ModelChoiceField(label="所属区划", queryset=None)
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, min_length=10)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                                   max_length=128)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                   max_length=128, help_text="至少10位，不能是常见密码，不能全为数字。")
    new_password2 = forms.CharField(label="再次输入新密码", max_length=128,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
