"""`matchready facts audit [--online]` against a local HTTP server with fixture pages: a page
that still matches its stored digest, one that changed and one that is gone."""

import csv
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data.loader import FILES, bundled_dir
from matchready.io.pages import text_digest
from matchready.services.facts_audit import FindingKind, audit_facts

PAGES = {
    "/same.html": "<html><body><p>ERAS token: $165</p></body></html>",
    "/changed.html": "<html><body><p>ERAS token: $175 from now on</p></body></html>",
}
OLD_CHANGED = "<html><body><p>ERAS token: $165</p></body></html>"


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _release(tmp_path: Path, base: str) -> Path:
    """A copy of the installed release whose fee rows cite the local pages."""
    folder = tmp_path / "release"
    folder.mkdir()
    for name in (*FILES, "official_domains.csv"):
        shutil.copy(bundled_dir() / name, folder / name)
    path = folder / "fees.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [*rows[0].keys(), "content_sha256"]
    for row in rows:
        row["content_sha256"] = ""
        if row["key"] == "eras.token" and row["match_year"] == "2024":
            row["source"], row["content_sha256"] = (
                f"{base}/same.html",
                text_digest(PAGES["/same.html"]),
            )
        elif row["key"] == "eras.token" and row["match_year"] == "2026":
            row["source"], row["content_sha256"] = f"{base}/changed.html", text_digest(OLD_CHANGED)
        elif row["key"] == "nrmp.registration" and row["match_year"] == "2017":
            row["source"] = f"{base}/gone.html"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    # The test domain counts as official so the verified rows stay valid.
    with (folder / "official_domains.csv").open("a") as handle:
        handle.write("127.0.0.1,The test server,\n")
    return folder


def test_online_audit_finds_the_changed_and_the_dead_page(server: str, tmp_path: Path) -> None:
    folder = _release(tmp_path, server)
    found = audit_facts(folder, date(2026, 12, 1), online=True)
    fees = [f for f in found if f.file == "fees.csv" and f.source.startswith(server)]
    kinds = {(f.what, f.kind) for f in fees}
    assert ("fees: eras.token 2026", FindingKind.CHANGED) in kinds
    assert ("fees: nrmp.registration 2017", FindingKind.DEAD) in kinds
    assert not [f for f in fees if f.what == "fees: eras.token 2024"]  # unchanged page
    dead = next(f for f in fees if f.kind is FindingKind.DEAD)
    assert "HTTP 404" in dead.detail and dead.line > 1
    changed = next(f for f in fees if f.kind is FindingKind.CHANGED)
    assert changed.detail == f"the page changed: now {text_digest(PAGES['/changed.html'])}"


def test_the_command_reports_them_and_exits_1(server: str, tmp_path: Path) -> None:
    folder = _release(tmp_path, server)
    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, ["facts", "audit", "--online", "--dir", str(folder)], env=env)
    assert result.exit_code == 1, result.output
    assert "changed" in result.output and "dead" in result.output
    assert "fees.csv:" in result.output


def test_offline_audit_reports_secondary_stale_and_unscoped_rows(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    for name in (*FILES, "official_domains.csv"):
        shutil.copy(bundled_dir() / name, folder / name)
    text = (folder / "rules.csv").read_text()
    (folder / "rules.csv").write_text(
        text.replace(",verified,official,2022-,", ",verified,official,,", 1)
    )
    found = audit_facts(folder, date(2026, 12, 1))
    kinds = {f.kind for f in found}
    assert {FindingKind.SECONDARY, FindingKind.STALE, FindingKind.UNSCOPED} <= kinds
    stale = {f.what for f in found if f.kind is FindingKind.STALE}
    assert "fees: nrmp.couples 2017" in stale  # the latest couples fee is from 2017
    assert "fees: eras.program 2026" not in stale
    assert not [f for f in found if f.kind is FindingKind.NOT_OFFICIAL]


def test_the_bundled_release_has_no_serious_finding_offline() -> None:
    found = audit_facts(None, date(2026, 12, 1))
    serious = [f for f in found if f.kind in (FindingKind.INVALID, FindingKind.NOT_OFFICIAL)]
    assert serious == []
