"""Writes of the decisions app, one module per subject (callers import from the module that holds the
function). Every service is keyword-only, atomic, checks the actor's right to act in the township, and
records each change in the audit chain. The workflow steps are in `fazhi.decisions.workflow`."""
