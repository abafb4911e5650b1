"""Whether a model suits this computer: "fits", "may be slow" or "won't fit", with the reason.

A pure function of a catalog entry and the probed hardware, so it is decided before anything is
loaded (a model that does not fit would only be found out by an out-of-memory kill) and so it can
be tested with any machine described by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.core.hardware import Hardware
from tutor.core.i18n import _
from tutor.core.llm.catalog import ModelEntry

FITS, SLOW, WONT_FIT = "fits", "may be slow", "won't fit"
_RANK = {FITS: 0, SLOW: 1, WONT_FIT: 2}

MIB = 1024 * 1024
# The system and the tutor itself need this much beside the model; a model that needs more than
# the rest of the total memory cannot run, however many programs the user closes.
SYSTEM_RESERVE_BYTES = 1024 * MIB
# Decoding reads the whole model per token and prompt evaluation is compute-bound: past about this
# many weight bytes per physical core, answers take many seconds on the laptops we target.
BYTES_PER_CORE_COMFORTABLE = 600 * MIB
X86 = frozenset({"x86_64", "amd64", "i386", "i686", "x86"})


@dataclass(frozen=True)
class Fit:
    verdict: str  # FITS, SLOW or WONT_FIT
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """All reasons as one translated sentence list (empty when it simply fits)."""
        return " ".join(self.reasons) if self.reasons else _("Enough memory and CPU for it.")

    def label(self) -> str:
        """The verdict in the user's language."""
        return {FITS: _("fits"), SLOW: _("may be slow"), WONT_FIT: _("won't fit")}[self.verdict]


def _gib(n: int) -> str:
    return f"{n / (1024 * MIB):.1f}"


def assess(entry: ModelEntry, hw: Hardware) -> Fit:
    """Judge ``entry`` on ``hw``; the worst verdict wins and every reason is kept."""
    found: list[tuple[str, str]] = []
    need = entry.min_ram_mb * MIB
    usable = hw.ram_total_bytes - SYSTEM_RESERVE_BYTES
    if need > usable:
        found.append(
            (
                WONT_FIT,
                _("It needs {need} GiB of memory; this computer has {total} GiB in total.").format(
                    need=_gib(need), total=_gib(hw.ram_total_bytes)
                ),
            )
        )
    elif need > hw.ram_available_bytes:
        found.append(
            (
                SLOW,
                _(
                    "It needs {need} GiB of free memory and only {free} GiB is free now; "
                    "close other programs first."
                ).format(need=_gib(need), free=_gib(hw.ram_available_bytes)),
            )
        )
    if hw.machine.lower() in X86 and not hw.avx2:
        found.append(
            (SLOW, _("This processor lacks AVX2, which makes the model several times slower."))
        )
    weight_bytes = entry.size_bytes or 0
    cores = max(1, hw.physical_cores)
    if weight_bytes > BYTES_PER_CORE_COMFORTABLE * cores:
        found.append(
            (
                SLOW,
                _(
                    "A model of {size} GiB is slow on {cores} processor cores; answers may take "
                    "many seconds."
                ).format(size=_gib(weight_bytes), cores=cores),
            )
        )
    if not found:
        return Fit(FITS, ())
    verdict = max((v for v, _r in found), key=_RANK.__getitem__)
    return Fit(verdict, tuple(r for _v, r in found))
