from django.urls import path

from fazhi.organization.views import budget, duties, groups, plans
from fazhi.organization.workflow import PLAN_FLOW, task_urls

app_name = "organization"
urlpatterns = [
    path("groups/", groups.groups, name="groups"),
    path("groups/new/", groups.group_new, name="group_new"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/add/", groups.member_add, name="member_add"),
    path("members/<int:pk>/leave/", groups.member_leave, name="member_leave"),
    path("meetings/", groups.meetings, name="meetings"),
    path("meetings/new/", groups.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", groups.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", groups.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/follow-ups/add/", groups.followup_add, name="followup_add"),
    path("follow-ups/<int:pk>/done/", groups.followup_done, name="followup_done"),
    path("plans/", plans.plans, name="plans"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    *PLAN_FLOW.urls("plans/"),  # plans/<pk>/issue|carry_over/ → organization:plan_<step>
    path("plans/<int:pk>/tasks/new/", plans.task_new, name="task_new"),
    path("plans/<int:pk>/next-steps/add/", plans.next_step_add, name="next_step_add"),
    path("tasks/", plans.tasks, name="tasks"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", plans.task_edit, name="task_edit"),
    *task_urls("tasks/"),  # tasks/<pk>/progress|cancel/ → organization:task_<step>
    path("progress/<int:pk>/proof/", plans.proof_download, name="proof_download"),
    path("budget/", budget.budget, name="budget"),
    path("budget/new/", budget.budget_new, name="budget_new"),
    path("budget/<int:pk>/", budget.budget_detail, name="budget_detail"),
    path("budget/<int:pk>/edit/", budget.budget_edit, name="budget_edit"),
    path("budget/<int:pk>/spend/", budget.spend_add, name="spend_add"),
    path("duties/", duties.duties, name="duties"),
    path("duties/new/", duties.duty_new, name="duty_new"),
    path("duties/<int:pk>/", duties.duty_detail, name="duty_detail"),
    path("duties/<int:pk>/edit/", duties.duty_edit, name="duty_edit"),
    path("duties/<int:pk>/obligations/add/", duties.obligation_add, name="obligation_add"),
    path("obligations/<int:pk>/events/", duties.obligation_events, name="obligation_events"),
]
