"""The enforcement workflows, declared once as core `Flow`s of `Step`s: the case (`cases.CASE_FLOW`,
`case_transition`), 行政强制执行 (`coercion.COERCION_FLOW`), coercive measures (`measures.MEASURE_FLOW`) and
inspections (`inspections.INSPECTION_FLOW`);
the statutory guards they read are in `statute`, what is recorded beside a case in `proceedings`, and
registering a case in `registration`."""
