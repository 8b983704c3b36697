"""FastAPI routers of the marketplace REST API."""
