# The mediation personas and committees, and education's topic catalogue (seeded per test).
from fazhi.education.tests.conftest import _catalogues  # noqa: F401
from fazhi.mediation.tests.conftest import med  # noqa: F401
