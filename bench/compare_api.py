"""bench/api.py for an earlier commit and for this checkout, one after the other per backend in the same run, so that
a change is judged against its baseline on the same (shared, noisy) machine.

    git worktree add ../before <commit> && (cd ../before && make install)
    .venv/bin/python bench/compare_api.py --before ../before        # any bench/api.py option follows
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="checkout of the baseline, with its own .venv")
    parser.add_argument("--after", type=Path, default=HERE, help="checkout of the change (default: this one)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args, rest = parser.parse_known_args()
    for backend in args.backends.split(","):
        for label, tree in (("before", args.before.resolve()), ("after", args.after.resolve())):
            print(f"===== {backend}: {label} ({tree})", flush=True)
            subprocess.run([str(tree / ".venv/bin/python"), "bench/api.py", "--backends", backend, *rest], cwd=tree,
                           check=True, stdout=sys.stdout, stderr=sys.stderr)


if __name__ == "__main__":
    main()
