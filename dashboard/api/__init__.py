"""Read API (issue 13 item 4): `python -m dashboard api --port 8502` serves JSON and CSV over the store.

app       create_app() / app: FastAPI application (GET only, errors without internals, offline /docs)
routes    /api/v1/{indicators, targets, observations, schools, progress, sources, provinces, meta}
queries   paginated, filtered SQL reads (portable SQLite / PostgreSQL)
models    the records (pydantic, documented in OpenAPI) and their JSON / CSV shape
respond   envelope, CSV with BOM, ETag on the data version, response cache
progress  a province's status rows (the overview's status table)
server    run(host, port, workers) with uvicorn
"""
