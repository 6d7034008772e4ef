#!/bin/bash
# The action's first step: find or build the k8scheck to run, and write its
# path to $GITHUB_OUTPUT as `path`.
#   INPUT_BINARY     a k8scheck binary to use as it is (e.g. from a cache or
#                    a release download); empty: build one
#   K8SCHECK_SOURCE  k8scheck's source (the action's own checkout)
#   RUNNER_TEMP      where to build
#   K8SCHECK_REPOSITORY, K8SCHECK_REF  the action's repository and ref: the
#                    build's SARIF links each rule to its page there
# The build is the static release binary (meson -Dstatic=true), as in the
# container image; Debian's or Ubuntu's build packages are installed first
# when pkg-config does not find libyaml and libcyaml.
set -euo pipefail

if [ -n "${INPUT_BINARY:-}" ]; then
	bin=$INPUT_BINARY
	case $bin in
	*/*) ;;
	*) bin=$(command -v "$bin") || { echo "::error::k8scheck action: no '$INPUT_BINARY' on PATH"; exit 1; } ;;
	esac
	if [ ! -x "$bin" ]; then
		echo "::error::k8scheck action: binary '$INPUT_BINARY' is not an executable file"
		exit 1
	fi
else
	src=${K8SCHECK_SOURCE:?K8SCHECK_SOURCE is not set}
	build=${RUNNER_TEMP:-/tmp}/k8scheck-build
	if ! pkg-config --exists yaml-0.1 libcyaml 2>/dev/null ||
		! command -v meson >/dev/null || ! command -v ninja >/dev/null; then
		SUDO=$(command -v sudo || true)
		$SUDO apt-get update -qq
		$SUDO apt-get install -y -qq --no-install-recommends gcc libc6-dev meson \
			ninja-build pkg-config libyaml-dev libcyaml-dev libjansson-dev >/dev/null
	fi
	docs=
	if [ -n "${K8SCHECK_REPOSITORY:-}" ] && [ -n "${K8SCHECK_REF:-}" ]; then
		docs=${GITHUB_SERVER_URL:-https://github.com}/$K8SCHECK_REPOSITORY/blob/$K8SCHECK_REF
	fi
	# a second run of the action in the same job reuses the build
	reconfigure=
	[ -f "$build/build.ninja" ] && reconfigure=--reconfigure
	meson setup $reconfigure "$build" "$src" --buildtype=release -Dstatic=true \
		-Dtests=disabled -Dwerror=false -Ddocs_url="$docs" >/dev/null
	ninja -C "$build" k8scheck >/dev/null
	bin=$build/k8scheck
fi
case $bin in
/*) ;;
*) bin=$PWD/$bin ;;
esac
"$bin" --version
echo "path=$bin" >>"$GITHUB_OUTPUT"
