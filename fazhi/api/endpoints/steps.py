"""Schemas shared by the workflow-step endpoints and the list pages."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class Choice(Schema):
    value: str
    label: str


class StepField(Schema):
    name: str
    label: str
    required: bool
    type: str
    choices: list[Choice]


class FormInfo(Schema):
    township: str | None = Field(description="乡镇区划代码（选项按该乡镇给出）")
    fields: list[StepField] = Field(description="登记表单的字段及可选值（村、类型、执法人员等的 value 即提交时的取值）")


class StepInfo(Schema):
    name: str
    label: str
    target: str | None
    open: bool = Field(description="当前状态下您可以办理此步骤")
    confirm: str
    intro: str
    status: str = Field(description="记录当前状态（提交时作为 expected_status 可防止覆盖他人的办理）")
    fields: list[StepField]


class StepBody(Schema):
    expected_status: str | None = Field(None, max_length=32,
                                           description="您看到的状态；记录已被他人办理时返回409")
    data: dict[str, Any] = Field(default_factory=dict, description="步骤表单的字段（见 GET 同一地址返回的 fields）")
