"""Validators and masks for personal data (身份证号码 GB 11643, phone numbers)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

VILLAGE_LIMIT = {"level": "village"}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def validate_id_number(value: str) -> None:
    """18-digit 居民身份证号码 with its GB 11643 check digit."""
    v = (value or "").upper()
    if len(v) != 18 or not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        raise ValidationError("身份证号码应为18位（最后一位可为X）。")
    check = "10X98765432"[sum(int(c) * w for c, w in zip(v[:17], ID_WEIGHTS, strict=True)) % 11]
    if v[17] != check:
        raise ValidationError("身份证号码校验位不正确，请核对。")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError("联系电话应为11位手机号或带区号的固定电话。")



def mask_id(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value[:2] + "*" * max(len(value) - 2, 0)
