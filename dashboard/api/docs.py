"""API documentation that works offline: /docs is a plain HTML page written from the OpenAPI schema (endpoints,
parameters, fields, examples), with no script and nothing loaded from another host; /openapi.json is the
machine-readable schema. FastAPI's own Swagger UI page loads its scripts from a CDN, which an intranet without
internet cannot reach, so it is not used. If the `fastapi-offline` package is installed (it ships the Swagger UI
files), /docs/swagger serves the interactive Swagger UI from those local files.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse


def _swagger_dir() -> Path | None:
    """The Swagger UI files of the `fastapi-offline` package (MIT; Swagger UI 5, which reads OpenAPI 3.1), if
    installed; None otherwise."""
    try:
        import fastapi_offline  # type: ignore[import-not-found]
    except ImportError:
        return None
    p = Path(fastapi_offline.__file__).parent / "static"
    return p if (p / "swagger-ui-bundle.js").is_file() and (p / "swagger-ui.css").is_file() else None


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items', {}))}]"
    return str(schema.get("type", ""))


def _fields(spec: dict, name: str) -> str:
    comp = spec.get("components", {}).get("schemas", {}).get(name, {})
    rows = []
    for field, s in comp.get("properties", {}).items():
        ref = s.get("$ref") or next((a.get("$ref") for a in s.get("anyOf", []) if "$ref" in a), None)
        if ref:
            sub = ref.rsplit("/", 1)[-1]
            for sf, ss in spec["components"]["schemas"].get(sub, {}).get("properties", {}).items():
                rows.append((f"{field}.{sf}", _type(ss), ss.get("description", "")))
        else:
            rows.append((field, _type(s), s.get("description", "")))
    return "".join(f"<tr><td><code>{html.escape(f)}</code></td><td>{html.escape(t)}</td><td>{html.escape(d)}</td></tr>"
                   for f, t, d in rows)


def _code(escaped: str) -> str:
    """`x` in the (already escaped) description → <code>x</code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def render(spec: dict, swagger: bool) -> str:
    e = html.escape
    parts = [f"<h1>{e(spec['info']['title'])}</h1>",
             "<p><a href='/openapi.json'>/openapi.json</a> (OpenAPI 3)"
             + (" · <a href='/docs/swagger'>Swagger UI</a>" if swagger else "") + "</p>"]
    parts += [f"<p>{_code(e(p))}</p>" for p in spec["info"].get("description", "").split("\n\n")]
    parts.append("<h2>Địa chỉ — Endpoints</h2><ul>")
    paths = sorted(spec["paths"].items())
    parts += [f"<li><a href='#{e(p)}'><code>GET {e(p)}</code></a> — {e(ops['get'].get('summary', ''))}</li>"
              for p, ops in paths if "get" in ops]
    parts.append("</ul>")
    for path, ops in paths:
        op = ops.get("get")
        if not op:
            continue
        parts.append(f"<h2 id='{e(path)}'><code>GET {e(path)}</code></h2><p>{e(op.get('summary', ''))}</p>")
        params = op.get("parameters", [])
        if params:
            parts.append("<table><tr><th>Tham số — parameter</th><th>Kiểu — type</th><th>Mô tả — description</th></tr>")
            for prm in params:
                req = " (bắt buộc — required)" if prm.get("required") else ""
                parts.append(f"<tr><td><code>{e(prm['name'])}</code>{req}</td><td>{e(_type(prm.get('schema', {})))}"
                             f"</td><td>{e(prm.get('description', ''))}</td></tr>")
            parts.append("</table>")
        ref = (op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
               .get("schema", {}).get("$ref", ""))
        env = spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
        item = env.get("properties", {}).get("items", {}).get("items", {}).get("$ref", "")
        if item:
            name = item.rsplit("/", 1)[-1]
            parts.append(f"<p>Mỗi bản ghi (<code>items</code>) — each record: <b>{e(name)}</b></p>"
                         "<table><tr><th>Trường — field</th><th>Kiểu — type</th><th>Mô tả — description</th></tr>"
                         f"{_fields(spec, name)}</table>")
        parts.append(f"<p>Ví dụ — example: <code>curl -s 'http://127.0.0.1:8502{e(path)}?limit=5'</code></p>")
    style = ("body{font-family:'Noto Sans',sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}"
             "table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
             "text-align:left;vertical-align:top}code{background:#f4f4f4}h2{margin-top:2rem}")
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{e(spec['info']['title'])}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def mount(app: FastAPI) -> None:
    swagger = _swagger_dir()

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs_page():
        return HTMLResponse(render(app.openapi(), swagger is not None))

    if swagger is not None:  # pragma: no cover - only where the package is installed
        from fastapi.openapi.docs import get_swagger_ui_html
        from fastapi.staticfiles import StaticFiles

        app.mount("/docs/static", StaticFiles(directory=swagger), name="swagger-static")

        @app.get("/docs/swagger", include_in_schema=False)
        def swagger_page():
            return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title,
                                       swagger_js_url="/docs/static/swagger-ui-bundle.js",
                                       swagger_css_url="/docs/static/swagger-ui.css",
                                       swagger_favicon_url="/docs/static/favicon.png")
