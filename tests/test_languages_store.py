"""A Russian article that only says "Путин" lands on the timeline of the Vladimir Putin an English article named;
an article in a language without an analyser still says it was not analysed."""

from __future__ import annotations

import json
from pathlib import Path

from crosswire.app import ingest, reading
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.store import Store

ENGLISH = ("Russian President Vladimir Putin said on Friday that Moscow had no plans to take the city of Kharkiv. "
           "\"As for Kharkiv, there are no such plans today,\" Putin told reporters in Harbin.")
RUSSIAN = ("Путин заявил, что у Москвы нет планов брать Харьков. «Сегодня таких планов нет», — сказал Путин "
           "журналистам в Харбине в пятницу, отвечая на вопросы о наступлении.")
FRENCH = ("Le président russe a déclaré vendredi que Moscou n'avait pas l'intention de prendre la ville de Kharkiv, "
          "selon les agences de presse présentes à Harbin.")


def test_russian_statement_joins_putins_timeline_and_french_is_not_analysed(tmp_path: Path) -> None:
    lines = [{"id": "en1", "title": "Putin: no plans to take Kharkiv", "text": ENGLISH, "language": "en",
              "published": "2024-05-17", "outlet": "wire"},
             {"id": "ru1", "title": "Путин о Харькове", "text": RUSSIAN, "language": "ru", "published": "2024-05-17",
              "outlet": "ru-outlet"},
             {"id": "fr1", "title": "Poutine et Kharkiv", "text": FRENCH, "language": "fr", "published": "2024-05-17",
              "outlet": "fr-outlet"}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", workers=1)
    store = Store(settings.db_url)
    ingest.add_inputs(expand_inputs([str(path)]), settings, store)
    outlets = {s.outlet for s in reading.statements(store, speaker="person:vladimir putin")}
    assert {"wire", "ru-outlet"} <= outlets
    fr = next(a for a in store.articles() if a.external_id == "fr1")
    analysis = reading.article_analysis(store, fr.id)
    assert analysis is not None and analysis.analysed is False and "fr" in analysis.note
