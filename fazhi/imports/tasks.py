from django_tasks import task


@task()
def import_job_task(job_id: int) -> str:
    """A large ledger file imported in the background; the page polls the job's progress."""
    from fazhi.imports.jobs import job_run

    return job_run(job_id).status
