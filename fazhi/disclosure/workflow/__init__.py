"""The two 政务公开 workflows, declared once and driven by core (`core.steps`: one URL per step):
`items` — a proactive item's publication (ITEM_FLOW, `item_transition`); `requests` — the handling of a
request for information, 条例第四章 (REQUEST_FLOW, `request_transition`)."""
