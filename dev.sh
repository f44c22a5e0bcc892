#!/usr/bin/env bash
# lksync developer entry point; the README's two commands.
#   ./dev.sh main   install deps, build (release), run the torture tester and a benchmark summary
#   ./dev.sh test   install deps, build (release), run the whole test suite with CTest
#   ./dev.sh deps   only install the Debian packages the build, tests and tools use
# .ci/run adds the up, tsan and asan presets (cmake --preset NAME; ctest --preset NAME).
set -euo pipefail
cd "$(dirname "$0")"

JOBS=$(nproc 2>/dev/null || echo 2)
PKGS="cmake gcc make pkg-config python3 binutils libck-dev libglib2.0-dev gnuplot-nox"

deps() {
	local missing=()
	for p in $PKGS; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "== installing: ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {	# build PRESET
	cmake --preset "$1" >/dev/null
	cmake --build --preset "$1" -j"$JOBS"
}

suite() {	# suite PRESET
	build "$1"
	ctest --preset "$1" -j"$JOBS" --timeout 300
}

case "${1:-}" in
deps)	deps ;;
main)
	deps
	build release
	echo "== torture: every lock type, oversubscribed, 5 s each"
	build/release/tools/torture/lksync-torture --duration 5 --types all
	echo "== torture: every lock type with interrupts injected, 2 s each"
	build/release/tools/torture/lksync-torture --duration 2 --irqs --types all
	echo "== benchmark summary (quick; ./build/release/tools/bench/lksync-bench --help for the full run)"
	build/release/tools/bench/lksync-bench --quick
	echo "== the debug flavor's cost per lock pair, beside the release flavor's"
	build/release/tools/bench/lksync-debug-cost --reps 3 --ms 100
	;;
test)	deps; suite release ;;
*)	sed -n '2,6p' "$0"; exit 2 ;;
esac
