"""No output shows a database password: the URL's password is masked wherever a message quotes it."""

from __future__ import annotations

from typer.testing import CliRunner

from crosswire.cli.app import app
from crosswire.settings import Settings, redact


def test_a_url_password_is_masked_and_a_path_kept() -> None:
    url = "postgresql+psycopg://analyst:Tr0ub4dor@db.example:5432/news"
    assert Settings(db_url=url).db_display == "postgresql+psycopg://analyst:***@db.example:5432/news"
    assert redact(f"cannot reach {url}; password Tr0ub4dor refused", url) == (
        "cannot reach postgresql+psycopg://analyst:***@db.example:5432/news; password *** refused")
    assert Settings(db_url="/data/crosswire.db").db_display == "/data/crosswire.db"
    assert redact("no password here", "postgresql+psycopg://analyst@db.example/news") == "no password here"


def test_an_unreadable_url_is_masked_too() -> None:
    url = "postgresql+psycopg://analyst:p@ss:w0rd@db.example:notaport/news"
    assert "p@ss:w0rd" not in redact(f"bad url {url}", url) and "analyst:***@db.example" in redact(url, url)


def test_a_store_that_cannot_be_opened_names_no_password() -> None:
    result = CliRunner().invoke(app, ["articles", "--db", "postgresql+psycopg://analyst:Tr0ub4dor@127.0.0.1:notaport/news"])
    assert result.exit_code == 4 and "cannot open the store" in result.output and "Tr0ub4dor" not in result.output
