from django_tasks import task


@task()
def audit_checkpoint_task(tree_size: int) -> int:
    from fazhi.audit.services import checkpoint_create

    return checkpoint_create(tree_size).tree_size
