#!/bin/bash
# The action's second step: run k8scheck on the inputs, print GitHub
# annotations, write the SARIF file and a Markdown job summary, set the
# outputs, and exit with k8scheck's status (docs/ci.md).
#   K8SCHECK             the binary (the first step's output)
#   K8SCHECK_ACTION_DIR  this directory (summary.py)
#   INPUT_PATHS          files and directories, separated by white space
#   INPUT_PROFILE, INPUT_PSS, INPUT_FAIL_ON, INPUT_BASELINE, INPUT_CONFIG
#                        passed as --profile, --pss, --fail-on, --baseline,
#                        --config when not empty
#   INPUT_SARIF_FILE     where to write SARIF (empty: none)
#   INPUT_ARGS           more options, separated by white space
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP  as GitHub sets them
# Inputs are read from the environment, never pasted into the script, so a
# path or option cannot run shell code; words are split without globbing.
set -uo pipefail
set -f

k8scheck=${K8SCHECK:?K8SCHECK is not set}
args=(--format github)
[ -n "${INPUT_PROFILE:-}" ] && args+=(--profile "$INPUT_PROFILE")
[ -n "${INPUT_PSS:-}" ] && args+=(--pss "$INPUT_PSS")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_SARIF_FILE:-}" ] && args+=(--format "sarif=$INPUT_SARIF_FILE")
json=$(mktemp "${RUNNER_TEMP:-/tmp}/k8scheck-report.XXXXXX")
trap 'rm -f "$json"' EXIT
args+=(--format "json=$json")
# shellcheck disable=SC2206 # split on white space, globbing is off
extra=(${INPUT_ARGS:-})
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
[ ${#paths[@]} -gt 0 ] || paths=(.)

status=0
"$k8scheck" "${args[@]}" "${extra[@]}" -- "${paths[@]}" || status=$?

errors=0 warnings=0 infos=0
if [ -s "$json" ]; then
	python3 "${K8SCHECK_ACTION_DIR:?}/summary.py" "$json" "$status" \
		>>"${GITHUB_STEP_SUMMARY:-/dev/null}" ||
		echo "::warning::k8scheck action: could not write the job summary"
	read -r errors warnings infos < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["summary"]["findings"]
print(c["error"], c["warning"], c["info"])' "$json") || true
else
	# usage errors (exit 3) write no report
	{
		echo "## k8scheck: did not run"
		echo
		echo "Exit status $status: see the step's log."
	} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
{
	echo "exit-code=$status"
	echo "findings=$((errors + warnings + infos))"
	echo "errors=$errors"
	echo "warnings=$warnings"
	echo "sarif-file=${INPUT_SARIF_FILE:-}"
} >>"$GITHUB_OUTPUT"
exit "$status"
