"""`glossary serve`: the web application through Flask's test client (the browser tests are in
test_web_browser.py). Search through the lookup engine, review through set_human and the
audit, downloads and upload through export and import, and the safety rules."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from openpyxl import load_workbook

pytest.importorskip("flask", reason="the web extra is not installed")

from glossary.curate import merge_terms, split_terms  # noqa: E402
from glossary.errors import GlossaryError  # noqa: E402
from glossary.lookup import LookupCache, lookup, suggestions  # noqa: E402
from glossary.store import Termbase  # noqa: E402
from glossary.web.app import create_app, host_allowed  # noqa: E402
from web_support import HOSTILE_IMAGE, HOSTILE_SCRIPT, HOSTILE_TERM, termbase_copy  # noqa: E402

HOST = "127.0.0.1:8000"


@pytest.fixture()
def db(built, tmp_path):
    return termbase_copy(built[0], tmp_path)


class _Client:
    """Flask's test client, its requests addressed to the served host and port by default."""

    def __init__(self, client, host: str):
        self.client, self.host = client, host

    def __getattr__(self, method):
        call = getattr(self.client, method)

        def request(*args, headers=None, **kwargs):
            return call(*args, headers={"Host": self.host, **(headers or {})}, **kwargs)
        return request


def _client(db, **options):
    app = create_app(db, **options)
    app.testing = True
    return _Client(app.test_client(), HOST)


@pytest.fixture()
def client(db):
    return _client(db)


def _digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _term_id(db, term: str) -> int:
    with Termbase(db) as termbase:
        return termbase.find_term(term)["id"]


def _text(response) -> str:
    """The page as a reader sees it: tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def _csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _review(client, term_id: int, **fields):
    page = client.get(f"/entry/{term_id}").get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "revision": re.search(r'name="revision" value="(\d+)"', page).group(1)}
    return client.post(f"/entry/{term_id}", data={**form, **fields})


@pytest.mark.parametrize("query, matched_by", [
    ("两个维护", "exact"), ("兩個維護", "exact"), ("liǎng gè wéi hù", "pinyin"), ("liang3 ge4 wei2 hu4", "pinyin"),
    ("lianggeweihu", "pinyin"), ("lgwh", "initials"), ("uphold", "english"), ("两个维户", "near miss"),
    ("lainggeweihu", "near miss"),
])
def test_search_api_uses_the_lookup_engine(client, db, query, matched_by):
    data = client.get("/api/search", query_string={"q": query}).get_json()
    first = data["matches"][0]
    assert (first["term"], first["matched_by"]) == ("两个维护", matched_by)
    assert [m["id"] for m in data["matches"]] == [m.id for m in lookup(query, str(db), 20)]
    assert first["url"] == f"/entry/{first['id']}"


def test_no_match_offers_did_you_mean(client, db):
    assert client.get("/api/search", query_string={"q": "zhuanmen xieshang jigouxyz"}).get_json()["matches"] == []
    data = client.get("/api/suggest", query_string={"q": "zhuanmen xieshang jigouxyz"}).get_json()
    assert data["suggestions"] == suggestions("zhuanmen xieshang jigouxyz", str(db))
    assert data["suggestions"][0].startswith("专门协商机构")
    page = client.get("/", query_string={"q": "zhuanmen xieshang jigouxyz"}).get_data(as_text=True)
    assert "Did you mean" in page and "专门协商机构" in page


def test_search_page_answers_without_script(client):
    page = client.get("/", query_string={"q": "lgwh"}).get_data(as_text=True)
    assert "两个维护" in page and "Two Upholds" in page and 'href="/entry/' in page


def test_hostile_text_is_escaped_everywhere(client, db):
    term_id = _term_id(db, HOSTILE_TERM)
    response = client.get(f"/entry/{term_id}")
    page = response.get_data(as_text=True)
    assert HOSTILE_SCRIPT not in page and HOSTILE_IMAGE not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=&#34;x&#34; onerror=&#34;window.__pwned = 2&#34;&gt;" in page
    assert "javascript:" not in page  # a source URL that is not a web link is not a link
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for path in ("/browse", f"/?q={HOSTILE_TERM}"):
        page = client.get(path).get_data(as_text=True)
        assert HOSTILE_TERM in page and HOSTILE_IMAGE not in page and HOSTILE_SCRIPT not in page
    data = client.get("/api/search", query_string={"q": "恶意"}).get_json()
    assert data["matches"][0]["context"]["before"].endswith(HOSTILE_SCRIPT)


def test_review_goes_through_set_human_and_the_audit(client, db):
    term_id = _term_id(db, "凝聚共识")
    response = _review(client, term_id, english="building consensus", status="reviewed", notes="checked", who="Ana Li")
    assert response.status_code == 303
    assert "glossary_user=" in response.headers["Set-Cookie"] and "Ana" in response.headers["Set-Cookie"]
    with Termbase(db) as termbase:
        row = termbase.get_term(term_id)
        audit = termbase.audit(term_id)
    assert (row["english_human"], row["status"], row["notes"]) == ("building consensus", "reviewed", "checked")
    assert {(a["field"], a["new"], a["who"], a["action"]) for a in audit} == {
        ("english", "building consensus", "Ana Li", "web review"), ("status", "reviewed", "Ana Li", "web review"),
        ("notes", "checked", "Ana Li", "web review")}
    page = client.get(f"/entry/{term_id}").get_data(as_text=True)
    assert "building consensus" in page and "saved: english, status, notes" in page
    assert 'value="Ana Li"' in page  # the name is asked once and remembered
    assert "web review" in page  # the history
    # The lookup sees the new English at once.
    assert lookup("building consensus", str(db))[0].term == "凝聚共识"


def test_status_alone_keeps_the_automatic_english_automatic(client, db):
    term_id = _term_id(db, "凝聚共识")
    assert _review(client, term_id, english=lookup("凝聚共识", str(db))[0].english, status="reviewed",
                   notes="", who="Ana").status_code == 303
    with Termbase(db) as termbase:
        row = termbase.get_term(term_id)
    assert row["status"] == "reviewed" and row["english_human"] == ""
    assert _review(client, term_id, english=lookup("凝聚共识", str(db))[0].english, status="approved",
                   notes="", who="Ana").status_code == 303
    with Termbase(db) as termbase:
        row = termbase.get_term(term_id)
    assert row["status"] == "approved" and row["english_human"]  # approving makes it the approved rendering


@pytest.mark.parametrize("fields, message", [
    ({"status": "finished"}, "unknown status 'finished'"),
    ({"who": ""}, "give your name"),
    ({"english": "x" * 1001}, "longer than 1000"),
    ({"revision": "99"}, "changed by someone else"),
])
def test_a_failed_edit_changes_nothing_and_says_why_in_one_line(client, db, fields, message):
    term_id = _term_id(db, "凝聚共识")
    before = _digest(db)
    page = client.get(f"/entry/{term_id}").get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1), "revision": "0",
            "english": "forging consensus", "status": "reviewed", "notes": "", "who": "Ana"}
    response = client.post(f"/entry/{term_id}", data={**form, **fields})
    assert response.status_code == 400
    errors = re.findall(r'<p class="error" role="alert" id="error">(.*?)</p>', response.get_data(as_text=True))
    assert len(errors) == 1 and message in html.unescape(errors[0]) and errors[0].startswith("error: ")
    assert _digest(db) == before


def test_edits_need_the_csrf_token_and_the_same_origin(client, db):
    term_id = _term_id(db, "凝聚共识")
    before = _digest(db)
    data = {"english": "forging consensus", "status": "new", "notes": "", "who": "Mallory", "revision": "0"}
    assert client.post(f"/entry/{term_id}", data=data).status_code == 400
    assert client.post(f"/entry/{term_id}", data={**data, "csrf_token": "guessed"}).status_code == 400
    assert client.post(f"/entry/{term_id}", data={**data, "csrf_token": "凝聚"}).status_code == 400
    token = _csrf(client, f"/entry/{term_id}")
    response = client.post(f"/entry/{term_id}", data={**data, "csrf_token": token},
                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 400 and "another site" in response.get_data(as_text=True)
    assert _digest(db) == before


def test_requests_for_another_host_name_are_refused(client):
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/api/search?q=lgwh", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert host_allowed("127.0.0.1:8000", "127.0.0.1", 8000) and host_allowed("[::1]:8000", "127.0.0.1", 8000)
    assert not host_allowed("127.0.0.1:8001", "127.0.0.1", 8000)
    assert not host_allowed("attacker.example:8000", "127.0.0.1", 8000)
    assert host_allowed("192.168.1.5:8000", "0.0.0.0", 8000)
    assert not host_allowed("attacker.example:8000", "0.0.0.0", 8000)
    assert host_allowed("team.example:8000", "0.0.0.0", 8000, ("team.example",))
    assert host_allowed("10.0.0.2:8000", "10.0.0.2", 8000) and not host_allowed("10.0.0.3:8000", "10.0.0.2", 8000)


def test_beyond_loopback_an_access_token_is_required(db):
    with pytest.raises(GlossaryError, match="access token"):
        create_app(db, host="0.0.0.0")
    client = _client(db, host="0.0.0.0", token="s3cret-token-value")
    headers = {"Host": "192.168.1.5:8000"}
    assert client.get("/", headers=headers).status_code == 401
    assert client.get("/api/search?q=lgwh", headers=headers).status_code == 401
    assert client.get("/?token=wrong-token", headers=headers).status_code == 401
    response = client.get("/?token=s3cret-token-value&q=lgwh", headers=headers)
    assert response.status_code == 303 and response.headers["Location"].endswith("/?q=lgwh")
    assert "glossary_token=" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert client.get("/?q=lgwh", headers=headers).status_code == 200  # the cookie now
    fresh = _client(db, host="0.0.0.0", token="s3cret-token-value")
    assert fresh.get("/api/search?q=lgwh", headers={**headers, "Authorization": "Bearer s3cret-token-value"}
                     ).status_code == 200


def test_read_only_serves_without_edits(db):
    client = _client(db, read_only=True)
    before = _digest(db)
    term_id = _term_id(db, "凝聚共识")
    page = client.get(f"/entry/{term_id}").get_data(as_text=True)
    assert 'id="review"' not in page and "read-only" in page
    assert 'id="upload"' not in client.get("/share").get_data(as_text=True)
    response = client.post(f"/entry/{term_id}", data={"english": "x", "who": "Eve"})
    assert response.status_code == 403
    assert client.post("/import", data={}).status_code == 403
    assert client.get("/download/csv").status_code == 200
    assert _digest(db) == before


def test_browse_filters_sorts_pages_and_counts_what_is_left(client, db):
    with Termbase(db) as termbase:
        total = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
        slogans = termbase.connection.execute(
            "SELECT count(*) FROM terms WHERE category = 'numbered slogan'").fetchone()[0]
    page = _text(client.get("/browse"))
    assert f"{total} of {total} left to review" in page and f"{total} entries · page 1 of {-(-total // 50)}" in page
    page = client.get("/browse?category=numbered+slogan&sort=frequency").get_data(as_text=True)
    assert f"{slogans} entries" in page
    frequencies = [int(f) for f in re.findall(r'<td class="num">(\d+)</td>', page)]
    assert frequencies == sorted(frequencies, reverse=True) and len(frequencies) == min(slogans, 50)
    first, second = (re.findall(r'href="/entry/(\d+)"', client.get(f"/browse?page={n}").get_data(as_text=True))
                     for n in (1, 2))
    assert first and second and not set(first) & set(second)
    page = client.get("/browse?source=reference").get_data(as_text=True)
    labels = re.findall(r"<td class=\"source\"><span class=\"label\">(.*?)</span>", page)
    assert labels and set(labels) == {"reference"}
    assert "Two Upholds" in client.get("/browse?source=reference&category=numbered+slogan").get_data(as_text=True)
    _review(client, _term_id(db, "两个维护"), english="Two Upholds", status="approved", notes="", who="Ana")
    page = _text(client.get("/browse?status=approved"))
    assert "1 entry" in page and "两个维护" in page and f"{total - 1} of {total} left to review" in page
    assert "approved" in client.get("/browse?source=approved").get_data(as_text=True)


def test_downloads_every_format(client, db):
    with Termbase(db) as termbase:
        total = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
    for format_, name in (("xlsx", "glossary.xlsx"), ("tbx", "glossary.tbx"), ("csv", "glossary.csv"),
                          ("json", "glossary.json"), ("omegat", "glossary.utf8")):
        response = client.get(f"/download/{format_}")
        assert response.status_code == 200, format_
        assert f"filename={name}" in response.headers["Content-Disposition"]
        body = response.get_data()
        if format_ == "xlsx":
            sheet = load_workbook(io.BytesIO(body), read_only=True)["Glossary"]
            assert sheet.max_row == total + 1
        elif format_ == "json":
            assert len(json.loads(body)) == total
        elif format_ == "csv":
            assert body.decode("utf-8-sig").startswith("zh-CN,en,")
        elif format_ == "tbx":
            assert b"<martif" in body and "两个维护".encode() in body
    assert client.get("/download/exe").status_code == 404


def _edited_workbook(client, edits: dict[str, str]) -> bytes:
    workbook = load_workbook(io.BytesIO(client.get("/download/xlsx").get_data()))
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Term")].value in edits:
            row[header.index("English")].value = edits[row[header.index("Term")].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name="glossary.xlsx"):
    return client.post("/import", data={"csrf_token": _csrf(client, "/share"), "workbook": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_is_a_dry_run_first_then_the_same_import(client, db):
    edited = _edited_workbook(client, {"凝聚共识": "forging consensus"})
    before = _digest(db)
    page = _upload(client, edited).get_data(as_text=True)
    assert "would add 0, would change 1" in page and "forging consensus" in page
    assert _digest(db) == before  # the dry run wrote nothing
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    page = client.post("/import/apply", data={"csrf_token": token, "upload_id": upload_id, "who": "Bo"}
                       ).get_data(as_text=True)
    assert "added 0, changed 1" in page and "applied" in page
    with Termbase(db) as termbase:
        row = termbase.find_term("凝聚共识")
        assert row["english_human"] == "forging consensus"
        assert [(a["who"], a["action"]) for a in termbase.audit(row["id"])] == [("Bo", "import glossary.xlsx")]
    assert client.post("/import/apply", data={"csrf_token": token, "upload_id": upload_id, "who": "Bo"}
                       ).status_code == 400  # applied once, then gone


def test_a_workbook_exported_before_a_web_edit_reports_the_conflict(client, db):
    edited = _edited_workbook(client, {"凝聚共识": "consensus building", "两个维护": "the Two Upholds"})
    _review(client, _term_id(db, "凝聚共识"), english="forging consensus", status="new", notes="", who="Ana")
    page = _upload(client, edited).get_data(as_text=True)
    assert "would change 1" in page and "1 conflict" in page
    conflict = re.search(r'<table class="conflicts" id="conflicts">.*?</table>', page, re.S).group(0)
    assert "凝聚共识" in conflict and "forging consensus" in conflict and "consensus building" in conflict
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/import/apply", data={"csrf_token": token, "upload_id": upload_id, "who": "Bo"})
    with Termbase(db) as termbase:
        assert termbase.find_term("凝聚共识")["english_human"] == "forging consensus"  # the conflict left alone
        assert termbase.find_term("两个维护")["english_human"] == "the Two Upholds"


def test_a_bad_upload_is_one_line_and_changes_nothing(client, db):
    before = _digest(db)
    for data, name, message in ((b"not a workbook", "notes.txt", "not a glossary workbook"),
                                (b"PK\x03\x04broken", "glossary.xlsx", "not a readable .xlsx workbook")):
        response = _upload(client, data, name)
        assert response.status_code == 400
        errors = re.findall(r'id="error">(.*?)</p>', response.get_data(as_text=True))
        assert len(errors) == 1 and message in errors[0]
    assert _digest(db) == before


def test_lookup_cache_gives_the_same_answers_and_sees_changes(db):
    cache = LookupCache()
    for query in ("两个维护", "兩個維護", "维护", "凝聚", "lianggeweihu", "lgwh", "uphold", "consultetive body",
                  "两个维户", "lainggeweihu", "协", "政协"):
        assert [m.id for m in lookup(query, str(db), 10, cache=cache)] == [m.id for m in lookup(query, str(db), 10)]
    assert not lookup("龘靐齉爩", str(db), cache=cache)
    with Termbase(db) as termbase:
        with termbase.transaction():
            termbase.connection.execute(
                "INSERT INTO terms(term, traditional, category, created_at, updated_at) VALUES ('龘靐齉爩', '', 'x', '', '')")
    # The lists of the version before serve until a thread has read the new ones.
    queries = ("龘靐齉爩", "龘靐齉", "龘靐齉X爩")  # exact, prefix, near miss

    def found():
        return [[m.term for m in lookup(query, str(db), cache=cache)] for query in queries]

    deadline = time.monotonic() + 30
    while found() != [["龘靐齉爩"]] * 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found() == [["龘靐齉爩"]] * 3


def test_split_gives_back_the_english_words_lookup_reads(db):
    with Termbase(db) as termbase:
        # a variant with English (issue 14: 凝聚力量 has none that meets the rules, only a Gloss)
        merge_terms(termbase, "凝聚共识", "专门协商机构", "Ana")
        split_terms(termbase, "凝聚共识", "专门协商机构", "Ana")
        english = termbase.human_values(termbase.find_term("专门协商机构"))["english"]
    assert english == "specialized consultative body"
    assert "专门协商机构" in [m.term for m in lookup(english, str(db), 20)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_command_beyond_loopback_prints_a_token_and_requires_it(db):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "glossary.cli", "serve", "--db", str(db), "--host", "0.0.0.0",
                                "--port", str(port), "--read-only"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        line = process.stdout.readline()
        assert "read-only" in line and "?token=" in line, line + process.stderr.read()
        token = line.strip().rsplit("?token=", 1)[1]
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/search?q=lgwh", timeout=10)
        assert refused.value.code == 401
        request = urllib.request.Request(f"{base}/api/search?q=lgwh", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["matches"][0]["term"] == "两个维护"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_command_errors_are_one_line(tmp_path):
    from click.testing import CliRunner

    from glossary.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.sqlite3")])
    assert result.exit_code == 2 and result.output.startswith("error: no termbase")
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.sqlite3"), "--token", "short"])
    assert result.exit_code == 2 and "at least 8" in result.output


def test_fields_other_releases_add_are_shown_where_they_exist(client, db):
    """A termbase with the columns the English, precision and timeline work add (added here by
    hand) shows them; bookkeeping columns are not shown; without them the page still works."""
    term_id = _term_id(db, "两个维护")
    with Termbase(db) as termbase:
        present = {row[1] for row in termbase.connection.execute("PRAGMA table_info(terms)")}
        for column in ("gloss", "score_reasons", "first_seen", "last_seen", "enrichment_key", "periods_json"):
            if column not in present:  # a release that has merged the feature already has it
                termbase.connection.execute(f"ALTER TABLE terms ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
        termbase.connection.execute(
            "UPDATE terms SET gloss = 'two; maintain <b>', score_reasons = 'slogan ×8', first_seen = '2019-03-05',"
            " last_seen = '2024-12-04', enrichment_key = 'internal-key', periods_json = '{\"2019\": 3}' WHERE id = ?",
            (term_id,))
    page = _text(client.get(f"/entry/{term_id}"))
    for shown in ("two; maintain <b>", "Why this score", "slogan ×8", "First seen", "2019-03-05", "Last seen",
                  "2024-12-04", "Seen by period", "2019"):
        assert shown in page, shown
    assert "internal-key" not in page and "Enrichment" not in page


def test_a_link_to_a_merged_entry_leads_to_the_entry_that_absorbed_it(client, db):
    merged_id, keep_id = _term_id(db, "凝聚力量"), _term_id(db, "凝聚共识")
    with Termbase(db) as termbase:
        merge_terms(termbase, "凝聚共识", "凝聚力量", "Ana")
    response = client.get(f"/entry/{merged_id}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/entry/{keep_id}")
    assert "凝聚力量 was merged into 凝聚共识" in _text(client.get(f"/entry/{keep_id}"))
    assert client.get("/entry/999999").status_code == 404
