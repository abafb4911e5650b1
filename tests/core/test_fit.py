"""Hardware fit, on machines described by hand (no model is loaded)."""

from __future__ import annotations

from dataclasses import replace

from tutor.core.hardware import Hardware, probe
from tutor.core.llm import catalog
from tutor.core.llm.fit import FITS, SLOW, WONT_FIT, assess

GIB = 1024**3

LAPTOP_4GB = Hardware(
    logical_cores=4,
    physical_cores=2,
    ram_total_bytes=4 * GIB,
    ram_available_bytes=int(2.5 * GIB),
    avx=True,
    avx2=True,
    avx512=False,
    machine="x86_64",
    system="Linux",
)


def by_id(model_id: str) -> catalog.ModelEntry:
    return catalog.find_model(model_id)


def test_default_model_fits_a_small_laptop() -> None:
    fit = assess(catalog.default_model(), LAPTOP_4GB)
    assert fit.verdict == FITS
    assert fit.reasons == ()
    assert fit.label() == "fits"


def test_model_bigger_than_total_memory_wont_fit() -> None:
    fit = assess(by_id("phi-3.5-mini-instruct-q4_k_m"), LAPTOP_4GB)
    assert fit.verdict == WONT_FIT
    assert "4.0 GiB in total" in fit.reason


def test_model_needing_more_than_free_memory_may_be_slow() -> None:
    busy = replace(LAPTOP_4GB, ram_available_bytes=int(1.2 * GIB))
    fit = assess(by_id("qwen2.5-1.5b-instruct-q4_k_m"), busy)
    assert fit.verdict == SLOW
    assert "free" in fit.reason


def test_no_avx2_may_be_slow_but_only_on_x86() -> None:
    old = replace(LAPTOP_4GB, avx2=False)
    fit = assess(catalog.default_model(), old)
    assert fit.verdict == SLOW
    assert "AVX2" in fit.reason
    arm = replace(old, machine="aarch64")
    assert assess(catalog.default_model(), arm).verdict == FITS


def test_large_model_on_few_cores_may_be_slow() -> None:
    big = replace(LAPTOP_4GB, ram_total_bytes=16 * GIB, ram_available_bytes=12 * GIB)
    fit = assess(by_id("llama-3.2-3b-instruct-q4_k_m"), big)
    assert fit.verdict == SLOW
    assert "2 processor cores" in fit.reason
    assert (
        assess(by_id("llama-3.2-3b-instruct-q4_k_m"), replace(big, physical_cores=8)).verdict
        == FITS
    )


def test_worst_verdict_wins_and_all_reasons_are_kept() -> None:
    poor = replace(LAPTOP_4GB, avx2=False, physical_cores=1)
    fit = assess(by_id("llama-3.2-3b-instruct-q4_k_m"), poor)
    assert fit.verdict == WONT_FIT
    assert len(fit.reasons) == 3


def test_every_catalog_model_gets_a_verdict_on_this_machine() -> None:
    hw = probe()
    for entry in catalog.load_catalog():
        fit = assess(entry, hw)
        assert fit.verdict in (FITS, SLOW, WONT_FIT)
        assert fit.reason
