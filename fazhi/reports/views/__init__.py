"""Pages of the reports app: `annual` (the annual report: preview, paragraph editing, history, export) and
`dashboards` (township and county dashboards, the county roll-up export)."""
