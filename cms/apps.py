from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from cms.signals import pages_changed

        page_published.connect(pages_changed, dispatch_uid="cms_booklet_published")
        page_unpublished.connect(pages_changed, dispatch_uid="cms_booklet_unpublished")
