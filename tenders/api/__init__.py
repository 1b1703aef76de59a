"""The tenders app's API routes (django-ninja): the tender list and the OCDS open data."""

from ninja import Router

from tenders.api.ocds import router as ocds_router
from tenders.api.tenders import router as tenders_router

router = Router()
router.add_router("", tenders_router)
router.add_router("", ocds_router)
