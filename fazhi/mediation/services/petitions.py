"""Writes for petitions (信访): registration. Acceptance, refusal, extension and conclusion are steps of
`workflow.PETITION_FLOW` (petition_transition)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited
from fazhi.mediation.deadlines import petition_todo_due
from fazhi.mediation.models import Petition, PetitionTransition
from fazhi.mediation.permissions import PETITION_ROLES
from fazhi.mediation.services.disputes import check_date, next_number

P = Petition.Status
PETITION_REFUSED = "您无权在该乡镇办理信访事项。"


@transaction.atomic
def petition_create(*, actor, township, petitioner: str, content: str, received_on: dt.date,
                    form: str = Petition.Form.VISIT, village=None, id_number: str = "", phone: str = "") -> Petition:
    require_role(actor, township, PETITION_ROLES, PETITION_REFUSED)
    check_date(received_on, "收到日期")
    if village is not None and village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    petition = Petition(township=township, village=village, petitioner=petitioner.strip(), content=content.strip(),
                        received_on=received_on, form=form, id_number=id_number.strip().upper(),
                        phone=phone.strip(), recorded_by=actor, number=next_number(Petition, township,
                                                                                    received_on.year))
    petition.todo_due = petition_todo_due(petition)
    save_audited(petition, actor=actor)
    PetitionTransition.objects.create(petition=petition, actor=actor, from_status="", to_status=P.RECEIVED,
                                      reason="登记")
    return petition
