"""The marketplace REST API (OCA ``fastapi``), mounted on /marketplace/api.

Every call is authenticated by the key of an integration
(``marketplace.api.client``) and runs as the key's user: the access rights
and record rules of that user decide what it may read, exactly as on the
portal. Records are always located with that user's environment; the few
writes a portal user may not make through the ORM (their own profile,
listing, dispute...) are then made in a ``sudo()`` narrowed to the record
just located and to whitelisted fields, like the portal controllers do.
"""

from fastapi import APIRouter

from . import api_listings, api_orders, api_sellers, api_support

API_VERSION = "1.0.0"
OPENAPI_TAGS = [
    {"name": "sellers", "description": "Registration, profile and verification."},
    {"name": "listings", "description": "The seller's products and their stock."},
    {"name": "orders", "description": "Order parts of a seller; buyers' ratings."},
    {"name": "disputes", "description": "Disputes, for their buyer and seller."},
    {"name": "tickets", "description": "Support tickets of the key's user."},
]

# The one router the endpoint mounts, made of the routers of each resource
# (their routes keep the shared errors and route class).
router = APIRouter()
for _resource in (api_sellers, api_listings, api_orders, api_support):
    router.include_router(_resource.router)
