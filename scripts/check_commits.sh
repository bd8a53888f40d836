#!/usr/bin/env bash
# Commit messages as docs/contributing.md sets them: a subject of at most 72
# characters, a blank line, then a body. Checks RANGE (git rev-list syntax);
# by default every commit since the one that set the rule, so history from
# before it is left as it was. Prints each commit that breaks it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "commits: not a git checkout, nothing to check"
  exit 0
fi
range="${1:-}"
if [[ -z "$range" ]]; then
  rule=$(git log --diff-filter=A --format=%H -- docs/contributing.md | tail -1)
  if [[ -z "$rule" ]]; then
    echo "commits: docs/contributing.md is not committed yet, nothing to check"
    exit 0
  fi
  range="$rule^..HEAD"
fi
bad=0
checked=0
for commit in $(git rev-list --no-merges "$range"); do
  checked=$((checked + 1))
  subject=$(git log -1 --format=%s "$commit")
  second=$(git log -1 --format=%B "$commit" | sed -n 2p)
  body=$(git log -1 --format=%b "$commit" | tr -d '[:space:]')
  short="${commit:0:10} ${subject:0:50}"
  if ((${#subject} > 72)); then
    echo "commits: $short: subject is ${#subject} characters (at most 72)"
    bad=$((bad + 1))
  fi
  if [[ -n "$second" ]]; then
    echo "commits: $short: no blank line after the subject"
    bad=$((bad + 1))
  fi
  if [[ -z "$body" ]]; then
    echo "commits: $short: no body"
    bad=$((bad + 1))
  fi
done
if ((bad > 0)); then
  echo "commits: $bad problems in $checked commits"
  exit 1
fi
echo "commits: $checked commits, every subject at most 72 characters, each with a body"
