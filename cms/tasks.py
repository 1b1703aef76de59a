"""Background work of the cms app: rebuilding the speerpuntenboekje after a change."""

from __future__ import annotations

from django_tasks import task


@task()
def rebuild_booklet(index_id: int) -> float | None:
    """Rebuild the booklet of this speerpunten index; how long it took (None: index gone)."""
    from cms.models import SpeerpuntenIndexPage
    from cms.pdf import booklet_is_current, booklet_rebuild

    index = SpeerpuntenIndexPage.objects.filter(pk=index_id).first()
    if index is None or booklet_is_current(index):  # several changes in one commit: build once
        return None
    return booklet_rebuild(index=index)["seconds"]
