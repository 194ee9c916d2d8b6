"""What both benchmark scripts need to run against a bench: its arguments and its Python."""

import argparse
import os
import sys


def bench_arguments(description: str) -> argparse.ArgumentParser:
	"""A parser with --bench, --site and --members (defaults from the test environment)."""
	parser = argparse.ArgumentParser(description=description)
	parser.add_argument("--bench", default=os.environ.get("VERENIGINGEN_BENCH", "/opt/frappe-bench"))
	parser.add_argument("--site", default=os.environ.get("VERENIGINGEN_TEST_SITE", "verenigingen-test.localhost"))
	parser.add_argument("--members", type=int, default=4700)
	return parser


def reexec_in_bench(bench: str, script: str) -> None:
	"""Run ``script`` under the bench's own Python, from its sites folder, as bench commands do."""
	python = os.path.join(bench, "env", "bin", "python")
	os.chdir(os.path.join(bench, "sites"))
	# Compare prefixes, not executables: a venv's python is a symlink to the base interpreter.
	if os.path.realpath(sys.prefix) != os.path.realpath(os.path.join(bench, "env")):
		os.execv(python, [python, os.path.abspath(script), *sys.argv[1:]])
