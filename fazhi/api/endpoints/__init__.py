"""The API's operations, one module per Fazhi module; importing them registers them on `fazhi.api.base.api`."""

from fazhi.api.endpoints import disclosure, education, enforcement, evidence, general, mediation, records  # noqa: F401
