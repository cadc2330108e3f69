from django_tasks import task


@task()
def township_stats_refresh_task(township_ids: list[int], year: int) -> int:
    """Background refresh of the county roll-up's rows for townships that changed."""
    from fazhi.core.models import Region
    from fazhi.reports.services import township_stats_refresh

    towns = list(Region.objects.filter(pk__in=township_ids).order_by("code"))
    return len(township_stats_refresh(townships=towns, year=year))
