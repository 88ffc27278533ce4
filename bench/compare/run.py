"""Generate the comparison benchmark if needed, run a predictor on every story and score it.

    .venv/bin/python -m bench.compare.run                          # crosswire.compare.bench_predict
    .venv/bin/python -m bench.compare.run --predictor baseline     # the trivial baseline of baselines.py

The predictor gets one story at a time: a list of {"id", "text", "title", "outlet", "published", "credit"} and
returns {"conflicts": [...], "provenance": [...]} in the format score.py documents.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.compare import baselines
from bench.compare.generate import DEFAULT_OUT, generate, load_documents
from bench.compare.score import format_table, score

Predictor = Callable[[list[dict]], dict]


def load_predictor(name: str) -> Predictor:
    """The baseline, or crosswire's entry point; exits with a clear message when crosswire has none yet."""
    if name == "baseline":
        return baselines.predict
    try:
        from crosswire.compare import bench_predict
    except ImportError as exc:
        sys.exit(f"crosswire.compare.bench_predict is not importable ({exc}). The comparison stage is not built yet; "
                 "run with --predictor baseline to exercise the benchmark.")  # fmt: skip
    return bench_predict


def ensure_manifest(out: Path, seed: int, n_stories: int) -> dict:
    """The manifest under out, generated first when missing or made with another seed or size."""
    path = out / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text("utf-8"))
        if manifest.get("seed") == seed and manifest.get("n_stories") == n_stories:
            return manifest
    return generate(seed, n_stories, out)


def predict_all(manifest: dict, out: Path, predictor: Predictor) -> list[dict]:
    """The predictor's output for every story, tagged with the story id."""
    return [{**predictor(load_documents(out, story)), "story": story["id"]} for story in manifest["stories"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--predictor", choices=("crosswire", "baseline"), default="crosswire")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stories", type=int, default=40)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="benchmark directory (generated here if needed)")
    parser.add_argument("--predictions", type=Path, help="also write the predictions as JSON here")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = parser.parse_args(argv)
    predictor = load_predictor(args.predictor)
    manifest = ensure_manifest(args.out, args.seed, args.stories)
    start = time.perf_counter()
    predictions = predict_all(manifest, args.out, predictor)
    seconds = time.perf_counter() - start
    result = score(manifest, predictions)
    result["predictor"], result["seconds"] = args.predictor, round(seconds, 2)
    print(f"{args.predictor} on {manifest['summary']['stories']} stories, {manifest['summary']['documents']} documents "
          f"(seed {args.seed}), {seconds:.1f} s\n")  # fmt: skip
    print(format_table(result))
    if args.predictions:
        args.predictions.write_text(json.dumps(predictions, indent=1) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
