"""Smoke test of benchmarks/corpus.py: the generators (PDF for N=2, text extracts for N=3) and every
measurement code path, the default parts and --scale, on tiny inputs (in-process, one repetition);
the JSON carries every figure."""
from __future__ import annotations

import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_variant_document_renames_and_scales(corpus):
    seed = corpus.seed_document()
    doc = corpus.variant_document(seed, 7, 3, 40)
    texts = [l.text for l in doc.text_lines] + [t.title for t in doc.tables] + \
        [c for t in doc.tables for r in t.rows for c in r if c]
    assert not any(corpus.OLD_NAME in t for t in texts)
    assert any("某区第7号" in t for t in texts)
    assert len(doc.text_lines) == 40
    for t0, t1 in zip(seed.tables, doc.tables):
        for r0, r1 in zip(t0.rows, t1.rows):
            for c0, c1 in zip(r0, r1):
                if c0 and re.fullmatch(r"-?[\d,]+\.\d\d", c0):
                    assert Decimal(c1.replace(",", "")) == 3 * Decimal(c0.replace(",", ""))
                    assert ("," in c1) == ("," in c0 or abs(Decimal(c1.replace(",", ""))) >= 1000)
    assert corpus.replace_name_in_lines(["甲青山区科学技", "", "术和经济信息化局乙"], "X") == ["甲X", "", "信息化局乙"]


def test_benchmark_smoke(corpus, tmp_path):
    out = tmp_path / "json" / "bench.json"
    assert corpus.main(["--n", "2", "--n-small", "1", "--reps", "1", "--query-runs", "2",
                        "--out", str(tmp_path / "bench"), "--json", str(out), "--in-process"]) == 0
    data = json.loads(out.read_text())
    gen, m = data["generation"], data["measurements"]
    assert gen["pages_per_doc_min"] >= 12 and gen["total_pages"] == m["pages"]
    assert m["baseline"]["median_s"] > 0 and m["pages"] > 0
    assert m["cold"]["ratio_to_baseline"] > 0 and m["cold"]["documents_in_warehouse"] == 2
    assert m["cold"]["errors"] == 0
    assert m["rerun_unchanged"]["median_s"] > 0
    assert m["add_one"]["ratio"] > 0 and m["add_one"]["single_doc_median_s"] > 0
    assert m["workers"]["speedup"] > 0
    assert m["memory"]["worker_maxrss_small_mb"] > 0 and m["memory"]["worker_maxrss_n_mb"] > 0
    assert set(m["queries"]) == set(corpus.QUERIES)
    assert all(q["median_ms"] >= 0 for q in m["queries"].values())
    labels = [v["figure"][:2] for v in data["verdicts"]]
    assert labels[:6] == ["a.", "b.", "c.", "d.", "e.", "f."] and labels.count("g.") == len(corpus.QUERIES)


def test_variant_text_reads_back_as_document_i(corpus):
    seed, text = corpus.seed_document(), corpus.seed_text()
    doc = corpus.variant_text(text, seed, 7, 8)
    assert corpus.OLD_NAME not in doc and "某区第7号" in doc
    assert len(doc.splitlines()) == len(text.splitlines())
    assert corpus.txt_differences(doc, seed, 7, 8) == []
    assert corpus.txt_differences(text, seed, 7, 8)  # the seed itself is not document 7


def test_txt_needs_scale(corpus, tmp_path):
    with pytest.raises(SystemExit):
        corpus.main(["--format", "txt", "--out", str(tmp_path)])


def test_scale_smoke_txt(corpus, tmp_path):
    """--scale on 3 text extracts: cold build, nothing new through `budget run`, add one (and its
    profile), the full publish, the queries."""
    out = tmp_path / "json" / "scale.json"
    assert corpus.main(["--n", "3", "--format", "txt", "--scale", "--reps", "1", "--query-runs", "2", "--profile",
                        "--out", str(tmp_path / "bench"), "--json", str(out), "--in-process"]) == 0
    data = json.loads(out.read_text())
    gen, m = data["generation"], data["measurements"]
    assert gen["format"] == "txt" and gen["generated"] + gen["reused"] == 4
    assert m["cold"]["documents"] == 3 and m["cold"]["errors"] == 0 and m["documents_in_warehouse"] == 3
    # every failing error compares the unscaled narrative with the scaled tables; the tables tie out
    assert not set(m["failing_error_findings_by_check"]) & {"row_arithmetic", "cross_table", "hierarchy", "balance"}
    assert m["nothing_new"]["said_nothing_new"] == [True] and m["nothing_new"]["median_s"] > 0
    a = m["add_one"]
    assert a["documents"] == [4] and a["extracted"] == [1] and a["back_to_n_documents"] == [3, 3]
    assert a["ratio"] > 0 and a["single_doc"]["publish_s"] > 0
    assert m["memory"]["publish_full_maxrss_mb"] > 0 and m["memory"]["publish_add_one_maxrss_mb"] > 0
    assert m["profile_add_publish"]["by_cumulative"]
    assert set(m["queries"]) == set(corpus.QUERIES)
    assert [v["pass"] is None for v in data["verdicts"][:2]] == [True, True]
    assert len(data["verdicts"]) == 6 + len(corpus.QUERIES)
