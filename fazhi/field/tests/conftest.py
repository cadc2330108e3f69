# The mediation personas and committees, education's topic catalogue (seeded per test) and enforcement's roster.
from fazhi.education.tests.conftest import _catalogues  # noqa: F401
from fazhi.enforcement.tests.conftest import enf  # noqa: F401
from fazhi.mediation.tests.conftest import med  # noqa: F401
