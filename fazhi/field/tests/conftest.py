from fazhi.mediation.tests.conftest import med  # noqa: F401  (the mediation personas and committees)
