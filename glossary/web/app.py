"""The Flask application behind `glossary serve`.

Safe by default: it answers only to the Host it serves (DNS rebinding), asks for an access
token when served beyond this machine, wants a CSRF token with every edit, sends a strict
Content-Security-Policy (no inline script), and escapes everything it shows (Jinja
autoescaping; the page's script builds nodes with textContent, never HTML).
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import os
import re
import secrets
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from flask import (Flask, abort, flash, g, jsonify, redirect, render_template, request, send_file, session,
                   url_for)

from .. import __version__
from ..errors import GlossaryError
from ..export import export
from ..importer import apply_import, is_our_workbook, plan_import
from ..lookup import LookupCache, lookup, suggestions
from ..store import STATUSES, Termbase, resolve_db_path
from . import views
from .review import review

DOWNLOADS = {  # format → (file name, MIME type)
    "xlsx": ("glossary.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "tbx": ("glossary.tbx", "application/x-tbx+xml"),
    "csv": ("glossary.csv", "text/csv; charset=utf-8"),
    "json": ("glossary.json", "application/json"),
    "omegat": ("glossary.utf8", "text/plain; charset=utf-8"),
}
TOKEN_COOKIE = "glossary_token"
USER_COOKIE = "glossary_user"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SEARCH_LIMIT = 20
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_UPLOAD_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def host_allowed(header: str, host: str, port: int, extra_names: tuple[str, ...] = ()) -> bool:
    """Is a request's Host header the host this server serves? A page from another site whose
    name an attacker points at this address (DNS rebinding) names that site, and is refused."""
    header = (header or "").strip().lower()
    match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d+))?", header)
    if not match:
        return False
    name, given_port = match.group(1).strip("[]"), match.group(2)
    if (int(given_port) if given_port else 80) != port:
        return False
    bound = host.lower().strip("[]")
    names = {bound, *(n.lower() for n in extra_names)}
    if is_loopback(bound):
        names |= {"localhost", "127.0.0.1", "::1"}
    if bound in WILDCARD_HOSTS:
        if _is_ip(name):
            return True
        names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    return name in names


def create_app(db_path: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False,
               token: str | None = None, allowed_names: tuple[str, ...] = ()) -> Flask:
    if not is_loopback(host) and not token:
        raise GlossaryError(f"serving on {host} needs an access token (--token, or let `glossary serve` make one)")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32), MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_NAME="glossary_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        GLOSSARY_DB=str(db_path), GLOSSARY_READ_ONLY=read_only, GLOSSARY_TOKEN=token, GLOSSARY_PORT=port,
    )
    app.jinja_env.globals.update(version=__version__, statuses=STATUSES, read_only=read_only,
                                 english_sources=views.ENGLISH_SOURCES, csrf_token=_csrf_token,
                                 safe_url=_safe_url)
    app.jinja_env.filters["shorten"] = _shorten
    lookup_cache = LookupCache()
    uploads = _Uploads()

    def open_termbase() -> Termbase:
        return Termbase(app.config["GLOSSARY_DB"], create=False)

    @app.before_request
    def guard():
        if not host_allowed(request.headers.get("Host", ""), host, app.config["GLOSSARY_PORT"], allowed_names):
            return _refuse(400, "this server does not answer to that host name")
        expected = app.config["GLOSSARY_TOKEN"]
        if expected:
            offered = request.args.get("token") or request.cookies.get(TOKEN_COOKIE) or \
                request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not offered or not hmac.compare_digest(offered.encode(), expected.encode()):
                return _refuse(401, "this termbase needs its access token: open the link `glossary serve` printed")
            if "token" in request.args and request.method == "GET":
                # Keep the token in a cookie, out of the address bar, history and Referer.
                rest = {k: v for k, v in request.args.items() if k != "token"}
                response = redirect(request.path + (("?" + urlencode(rest)) if rest else ""), 303)
                response.set_cookie(TOKEN_COOKIE, expected, httponly=True, samesite="Lax")
                return response
        if request.method == "POST":
            if read_only:
                return _refuse(403, "this termbase is served read-only: nothing can be changed here")
            origin = request.headers.get("Origin")
            if origin and origin != request.host_url.rstrip("/"):
                return _refuse(400, "the request came from another site")
            offered = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
            if not offered or not hmac.compare_digest(offered.encode(), session.get("csrf", "").encode()):
                return _refuse(400, "the page was out of date (CSRF token missing or wrong); reload it and try again")
        return None

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes a browser send Origin: null
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(GlossaryError)
    def glossary_error(error):
        return _refuse(400, str(error))

    @app.errorhandler(sqlite3.OperationalError)
    def busy(error):
        return _refuse(503, f"the termbase is busy or unreadable ({error}); try again in a moment")

    @app.errorhandler(413)
    def too_large(error):
        return _refuse(413, f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")

    @app.errorhandler(404)
    def not_found(error):
        return _refuse(404, "no such page or entry")

    @app.context_processor
    def counts():
        if g.get("refused") or request.endpoint in ("search_api", "suggest_api", "static", "download"):
            return {}
        with open_termbase() as termbase:
            statuses = views.status_counts(termbase)
        return {"status_counts": statuses, "total_entries": sum(statuses.values()),
                "user_name": request.cookies.get(USER_COOKIE, "")}

    @app.get("/")
    def search_page():
        query = request.args.get("q", "").strip()
        result = _search(app, query, lookup_cache) if query else None
        return render_template("search.html", query=query, result=result)

    @app.get("/api/search")
    def search_api():
        query = request.args.get("q", "").strip()
        started = time.perf_counter()
        try:
            # "Did you mean" for a query nothing matches comes from /api/suggest, asked by the
            # page only then: the answer to every keystroke is not held up by it.
            result = _search(app, query, lookup_cache, with_suggestions=False) if query else {"matches": []}
        except GlossaryError as error:
            return jsonify(error=str(error)), 400
        response = jsonify(query=query, **result)
        response.headers["Server-Timing"] = f"search;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @app.get("/api/suggest")
    def suggest_api():
        query = request.args.get("q", "").strip()
        started = time.perf_counter()
        nearby = suggestions(query, app.config["GLOSSARY_DB"], cache=lookup_cache) if query else []
        response = jsonify(query=query, suggestions=nearby)
        response.headers["Server-Timing"] = f"suggest;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @app.get("/entry/<int:term_id>")
    def entry_page(term_id: int):
        with open_termbase() as termbase:
            found = views.entry(termbase, term_id)
            if found is None and hasattr(termbase, "resolve_id"):
                # IDs are stable: a link to an entry merged since leads to the one that absorbed it.
                state, row, record = termbase.resolve_id(term_id)
                if state == "merged" and row is not None:
                    flash(f"{record['term']} was merged into {row['term']}")
                    return redirect(url_for("entry_page", term_id=row["id"]), 303)
                if state == "retired":
                    return _refuse(404, f"{record['term']} (ID {term_id}) is retired: the corpus no longer yields "
                                        "it; it comes back with its fields if it does")
        if found is None:
            abort(404)
        return render_template("entry.html", entry=found, error=None)

    @app.post("/entry/<int:term_id>")
    def review_entry(term_id: int):
        who = request.form.get("who", "") or request.cookies.get(USER_COOKIE, "")
        submitted = {name: request.form[name] for name in ("english", "status", "notes") if name in request.form}
        revision = request.form.get("revision", "")
        with open_termbase() as termbase:
            try:
                changes = review(termbase, term_id, submitted, int(revision) if revision.isdigit() else None, who)
            except GlossaryError as error:
                found = views.entry(termbase, term_id)
                if found is None:
                    abort(404)
                return render_template("entry.html", entry=found, error=str(error)), 400
        flash(f"saved: {', '.join(changes)}" if changes else "nothing changed")
        response = redirect(url_for("entry_page", term_id=term_id), 303)
        response.set_cookie(USER_COOKIE, " ".join(who.split()), max_age=365 * 24 * 3600, samesite="Lax")
        return response

    @app.get("/browse")
    def browse_page():
        arguments = {name: request.args.get(name, "") for name in ("category", "status", "source")}
        sort = request.args.get("sort", "score")
        page_number = request.args.get("page", "1")
        with open_termbase() as termbase:
            page = views.browse(termbase, sort=sort, page=int(page_number) if page_number.isdigit() else 1,
                                **arguments)
            categories = views.categories(termbase)
        filters = {k: v for k, v in {**arguments, "sort": sort}.items() if v}
        return render_template("browse.html", page=page, categories=categories, filters=filters, sort=sort,
                               page_url=lambda number: url_for("browse_page", **filters, page=number))

    @app.get("/share")
    def share_page():
        return render_template("share.html", report=None, error=None)

    @app.get("/download/<format_>")
    def download(format_: str):
        if format_ not in DOWNLOADS:
            abort(404)
        name, mimetype = DOWNLOADS[format_]
        with tempfile.TemporaryDirectory(prefix="glossary-download-") as folder:
            out = Path(folder) / name
            with open_termbase() as termbase:
                export(termbase, format_, out)
            data = io.BytesIO(out.read_bytes())
        return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)

    @app.post("/import")
    def import_dry_run():
        upload = request.files.get("workbook")
        if upload is None or not upload.filename:
            return render_template("share.html", report=None, error="choose a workbook to upload"), 400
        name = _shorten(os.path.basename(upload.filename.replace("\\", "/")), 100)
        upload_id, path = uploads.add(upload, name)
        try:
            if not name.lower().endswith((".xlsx", ".xlsm")) or not is_our_workbook(path):
                raise GlossaryError(f"{name} is not a glossary workbook (outside glossaries: `glossary import`)")
            with open_termbase() as termbase:
                report = plan_import(termbase, path)
        except GlossaryError as error:
            uploads.remove(upload_id)
            return render_template("share.html", report=None, error=str(error)), 400
        return render_template("share.html", report=report, upload_id=upload_id, upload_name=name, error=None,
                               applied=False)

    @app.post("/import/apply")
    def import_apply():
        upload_id = request.form.get("upload_id", "")
        prefer = request.form.get("prefer") or None
        who = " ".join((request.form.get("who", "") or request.cookies.get(USER_COOKIE, "")).split())
        found = uploads.get(upload_id)
        if found is None:
            return render_template("share.html", report=None,
                                   error="that upload is no longer here; upload the workbook again"), 400
        path, name = found
        if prefer not in (None, "file", "store"):
            return render_template("share.html", report=None, error="prefer must be file or store"), 400
        if not who or len(who) > 80:
            return render_template("share.html", report=None,
                                   error="give your name (up to 80 characters): every change is recorded "
                                         "with who made it"), 400
        with open_termbase() as termbase:
            # Planned again: the termbase may have changed since the dry run was shown.
            report = plan_import(termbase, path, prefer=prefer)
            apply_import(termbase, report, who, name)
        uploads.remove(upload_id)
        response = app.make_response(render_template("share.html", report=report, upload_name=name, error=None,
                                                     applied=True))
        response.set_cookie(USER_COOKIE, who, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    app.extensions["glossary_uploads"] = uploads
    app.extensions["glossary_lookup_cache"] = lookup_cache
    return app


class _Uploads:
    """Uploaded workbooks between the dry run and the apply, in a private temporary folder."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="glossary-uploads-"))
        self.names: dict[str, str] = {}
        self.lock = threading.Lock()

    def add(self, upload, name: str) -> tuple[str, Path]:
        upload_id = secrets.token_urlsafe(18)
        path = self.folder / f"{upload_id}.xlsx"
        upload.save(path)
        with self.lock:
            self.names[upload_id] = name
        return upload_id, path

    def get(self, upload_id: str) -> tuple[Path, str] | None:
        if not _UPLOAD_ID_RE.match(upload_id or ""):
            return None
        with self.lock:
            name = self.names.get(upload_id)
        path = self.folder / f"{upload_id}.xlsx"
        return (path, name) if name is not None and path.exists() else None

    def remove(self, upload_id: str) -> None:
        with self.lock:
            self.names.pop(upload_id, None)
        (self.folder / f"{upload_id}.xlsx").unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _search(app: Flask, query: str, cache, with_suggestions: bool = True) -> dict:
    db = app.config["GLOSSARY_DB"]
    matches = lookup(query, db, SEARCH_LIMIT, cache=cache)
    result = {"matches": [_match_json(match) for match in matches]}
    if with_suggestions:
        result["suggestions"] = [] if matches else suggestions(query, db, cache=cache)
    return result


def _match_json(match) -> dict:
    context = None
    if match.contexts:
        first = match.contexts[0]
        before, hit, after = views.split_context(first["text"], first["term_start"], [match.term, match.traditional])
        context = {"before": _shorten_left(before, 40), "hit": hit, "after": _shorten(after, 60),
                   "document": first["document"]}
    return {"id": match.id, "term": match.term, "traditional": match.traditional, "pinyin": match.pinyin,
            "english": match.english, "english_source": match.english_source, "category": match.category,
            "status": match.status, "matched_by": match.matched_by, "frequency": match.frequency,
            "documents": match.documents, "url": url_for("entry_page", term_id=match.id), "context": context,
            "gloss": getattr(match, "gloss", "")}  # a field the English work adds to lookup


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _refuse(status: int, message: str):
    """A one-line error: JSON for the page's script, else a small page."""
    g.refused = True
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    return render_template("error.html", message=message, status=status), status


def _shorten(text, width: int = 80) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _shorten_left(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _safe_url(url) -> str | None:
    """Only web links become links: data files name their sources, never a script."""
    url = str(url or "")
    return url if re.match(r"^https?://[^\s\"'<>]+$", url) else None


def run(db_path, *, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False, token: str | None = None,
        allowed_names: tuple[str, ...] = (), echo=print, threads: int = 8) -> None:
    """Serve until interrupted (waitress, a production WSGI server)."""
    from waitress import create_server

    with Termbase(db_path, create=False):
        pass  # a clear error now, not at the first request, when there is no termbase
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    app = create_app(db_path, host=host, port=port, read_only=read_only, token=token, allowed_names=allowed_names)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="glossary", clear_untrusted_proxy_headers=True)
    except OSError as error:
        raise GlossaryError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    app.config["GLOSSARY_PORT"] = port = int(server.effective_port)
    app.extensions["glossary_lookup_cache"].warm(resolve_db_path(db_path))
    shown_host = socket.gethostname() if host in WILDCARD_HOSTS else host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    mode = "read-only" if read_only else "review and upload allowed"
    echo(f"serving {resolve_db_path(db_path)} ({mode}) at {url}")
    if token:
        echo("the link carries the access token: share it only with the people who may use this termbase")
    echo("press Ctrl-C to stop")
    try:
        server.run()
    except KeyboardInterrupt:
        echo("stopped")
    finally:
        app.extensions["glossary_uploads"].close()
