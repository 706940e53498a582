#!/usr/bin/env bash
# action.yml step "Run s3doctor": runs `s3doctor test` or `s3doctor triage` with --format sarif from the INPUT_*
# variables, prints the text report, sets the outputs sarif-file and exit-code, and exits with s3doctor's code.
set -uo pipefail

cli="$GITHUB_ACTION_PATH/dist/src/cli/main.js"
sarif="${INPUT_SARIF_FILE:-s3doctor.sarif}"
command="${INPUT_COMMAND:-test}"

# One path per line; blank lines and surrounding spaces ignored (paths may hold spaces).
lines() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] && printf '%s\n' "$line"
  done <<<"${1:-}"
}

case "$command" in
  test)
    if [ -z "${INPUT_FILE:-}" ]; then
      echo "::error title=s3doctor::input 'file' (the policy test file) is required with command: test"
      exit 2
    fi
    ;;
  triage)
    mapfile -t logs < <(lines "${INPUT_LOGS:-}")
    if [ "${#logs[@]}" -eq 0 ]; then
      echo "::error title=s3doctor::input 'logs' (files or folders, one per line) is required with command: triage"
      exit 2
    fi
    ;;
  *)
    echo "::error title=s3doctor::input 'command' must be test or triage, not '$command'"
    exit 2
    ;;
esac

opts=()
mapfile -t snapshots < <(lines "${INPUT_SNAPSHOT:-}")
for s in "${snapshots[@]}"; do opts+=(--snapshot "$s"); done
if [ -n "${INPUT_FAIL_ON:-}" ]; then
  if [ "$command" != triage ]; then
    echo "::error title=s3doctor::input 'fail-on' applies to command: triage only"
    exit 2
  fi
  opts+=(--fail-on "$INPUT_FAIL_ON")
fi
# helpUri of each rule: the rule docs in the action's own repository at the ref the workflow uses.
if [ -n "${GITHUB_ACTION_REPOSITORY:-}" ] && [ -n "${GITHUB_ACTION_REF:-}" ]; then
  opts+=(--rule-docs-url "${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_ACTION_REPOSITORY/blob/$GITHUB_ACTION_REF/rules/")
fi

# Options go before "--" (triage) so that a log named like a flag stays a path.
if [ "$command" = triage ]; then
  run=(triage "${opts[@]}" --format sarif --out "$sarif" --force -- "${logs[@]}")
  text=(triage "${opts[@]}" --format github -- "${logs[@]}")
else
  run=(test "$INPUT_FILE" "${opts[@]}" --format sarif --out "$sarif" --force)
  text=(test "$INPUT_FILE" "${opts[@]}" --format github)
fi

node "$cli" "${run[@]}"
code=$?
if [ "$code" -le 1 ]; then
  # The same run as annotations on the files (the SARIF is for code scanning).
  node "$cli" "${text[@]}" || true
fi
{
  if [ -f "$sarif" ] && [ "$code" -le 1 ]; then echo "sarif-file=$sarif"; else echo "sarif-file="; fi
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
