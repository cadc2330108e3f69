"""Writes of 政务公开, by subject: `items` (proactive items, attachments), `requests` (filing a request for
information), `catalogue` (categories and statutory settings), `annual` (the Art. 50 report).
Workflow steps (publication, request handling) are declared in `fazhi.disclosure.workflow`."""
