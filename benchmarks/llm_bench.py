"""Benchmark the model engine against raw llama-cpp-python (issue #3); results go to
docs/benchmarks.md with the machine described.

Runs ``tutor.core.llm.bench.run_bench`` (what ``tutor model bench`` runs) on the embedded default
model, once with tokens batched every 20 ms (the engine's setting) and once with one pipe message
per token, and prints one JSON object with both.

Usage: .venv/bin/python benchmarks/llm_bench.py [--rounds 7] [--tokens 160] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=160)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()

    import os

    # A scratch data dir: the benchmark must not touch the user's settings or crash marker.
    os.environ.setdefault("TUTOR_HOME", tempfile.mkdtemp(prefix="tutor-bench-"))
    from tutor.core.llm import catalog
    from tutor.core.llm.bench import run_bench
    from tutor.core.llm.client import default_threads

    entry = catalog.default_model()
    threads = args.threads or default_threads()
    results = {}
    for label, flush_s in (("batched_20ms", 0.02), ("per_token", 0.0)):
        print(f"{label}…", file=sys.stderr, flush=True)
        results[label] = run_bench(
            entry,
            n_threads=threads,
            rounds=args.rounds,
            max_tokens=args.tokens,
            flush_s=flush_s,
            progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True),
        )
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
