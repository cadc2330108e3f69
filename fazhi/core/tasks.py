from django_tasks import task


@task()
def export_build_task(export_id: str) -> int:
    """Background build of a large ledger export (core.exports)."""
    from fazhi.core.exports import export_build

    return export_build(export_id)
