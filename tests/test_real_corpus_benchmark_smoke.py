"""Smoke test of benchmarks/real_corpus.py: every measurement code path (bare pdfplumber, `budget run`
cold and nothing new with 1 and 2 workers, the timed phases) on one 13-page PDF rendered from the
bundled seed, one repetition; the JSON carries every figure. No timing assertions."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")

REPO = Path(__file__).resolve().parents[1]


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def real_corpus():
    return load("real_corpus")


def test_absent_docs_folder_exits_2(real_corpus, tmp_path, capsys):
    assert real_corpus.main(["--docs", str(tmp_path / "absent"), "--json", str(tmp_path / "r.json")]) == 2
    assert "no PDF documents" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def test_real_corpus_benchmark_smoke(real_corpus, tmp_path):
    from pipelines.fixtures.pdf_render import render_pdf

    corpus = load("corpus")
    docs = tmp_path / "docs" / "nested"
    docs.mkdir(parents=True)
    render_pdf(corpus.variant_document(corpus.seed_document(), 0, 1, 10), docs / "seed.pdf")
    out = tmp_path / "json" / "real.json"
    assert real_corpus.main(["--docs", str(tmp_path / "docs"), "--reps", "1", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    m = data["measurements"]
    assert m["files"] == 1 and m["pages"] >= 12 and m["reps"] == 1
    assert m["bare"]["median_s"] > 0 and m["bare"]["maxrss_mb"][0] > 0
    for n in (1, 2):
        assert m["cold"][f"workers_{n}"]["median_s"] > 0 and m["cold"][f"workers_{n}"]["maxrss_median_mb"] > 0
        assert m["nothing_new"][f"workers_{n}"]["median_s"] > 0
        assert m["nothing_new"][f"workers_{n}"]["skipped"] == [True]  # the second run found nothing new
    assert m["cold_1_over_bare"]["median"] > 0 and m["speedup_2_vs_1"]["median"] > 0
    phases = m["phases"]
    assert set(phases["median_s"]) == {key for key, _ in real_corpus.PHASES}
    for key in ("reading_s", "normalizing_s", "staging_write_s", "warehouse_s", "checks_s", "checks_collect_s",
                "checks_gx_s", "checks_adjudicate_s", "report_s", "report_html_s", "total_s"):
        assert phases["median_s"][key] > 0, key
    assert phases["documents"] == 1 and phases["errors"] == 0 and phases["maxrss_median_mb"] > 0
    assert [row["figure"] for row in data["targets"]] == [
        "cold run, 1 worker / bare pdfplumber", "cold run, 2 workers vs 1 (speed-up)", "second run, nothing new (1 worker)"]
