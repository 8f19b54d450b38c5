"""A benchmark (bench/api.py or bench/web.py) for an earlier commit and for this checkout, one after the other per
backend in the same run, so that a change is judged against its baseline on the same (shared, noisy) machine.

    git worktree add ../before <commit>
    .venv/bin/python bench/compare.py --before ../before --bench web      # any option of that bench follows

A checkout without its own .venv runs on this one's interpreter with its own code first on the path (PYTHONPATH), as
do the `roviec` processes the bench starts.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="checkout of the baseline")
    parser.add_argument("--after", type=Path, default=HERE, help="checkout of the change (default: this one)")
    parser.add_argument("--bench", choices=("api", "web"), default="api")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args, rest = parser.parse_known_args()
    for backend in args.backends.split(","):
        for label, tree in (("before", args.before.resolve()), ("after", args.after.resolve())):
            python = tree / ".venv/bin/python"
            env = dict(os.environ)
            if not python.exists():
                python = Path(sys.executable)
                env["PYTHONPATH"] = str(tree)
            print(f"===== {backend}: {label} ({tree})", flush=True)
            subprocess.run([str(python), f"bench/{args.bench}.py", "--backends", backend, *rest], cwd=tree,
                           env=env, check=True, stdout=sys.stdout, stderr=sys.stderr)


if __name__ == "__main__":
    main()
