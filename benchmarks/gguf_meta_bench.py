"""Time reading a GGUF header: the tutor's reader vs the stock ``gguf.GGUFReader``, same run (#3).

Usage: .venv/bin/python benchmarks/gguf_meta_bench.py [MODEL.gguf] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default=ROOT / "models/SmolLM2-135M-Instruct.Q4_1.gguf")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from gguf import GGUFReader

    from tutor.core.llm.gguf_meta import read_info

    path = Path(args.model)
    fast = best_of(args.repeat, lambda: read_info(path))
    stock = best_of(args.repeat, lambda: GGUFReader(path))
    result = {"file": path.name, "tutor_read_info_s": fast, "stock_gguf_reader_s": stock}
    result["speedup"] = round(stock / fast, 1)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
