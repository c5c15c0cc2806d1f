#!/usr/bin/env bash
# Run one Molecule scenario step by step: create, converge, idempotence, check mode (must report
# no change), the side effect when the scenario has one (its side_effect.yml, or one that its
# molecule.yml names; e.g. a redeploy), verify, destroy.
# Usage: run-scenario.sh SCENARIO_DIR (…/molecule/<name>).
# Set KEEP=1 to leave the containers up after a failure for debugging.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"
dir=$(cd "$1" && pwd)
name=$(basename "$dir")
project=$(dirname "$(dirname "$dir")")   # the role folder, or the repo root
cd "$project" || exit 1
# Container names: unique per scenario, so that two scenarios can run at once.
export DJANGOOPS_INSTANCE=${DJANGOOPS_INSTANCE:-djangoops-$(basename "$project")-$name}

step() { local cmd=$1; shift; echo "=== molecule $cmd $* (scenario $name)"; molecule "$cmd" -s "$name" "$@"; }
# The runs on the converged boxes (idempotence, check mode, the side effect and the playbooks the
# tests run) go through Mitogen, in about a third of the time (docs/measurements.md); they also
# test that option (README "Faster runs with Mitogen"). The first converge runs as Ansible runs by
# default unless DJANGOOPS_CONVERGE_MITOGEN=1 (scripts/test.sh says which scenarios).
# DJANGOOPS_RERUN_MITOGEN=0, or a venv without Mitogen, runs them without it.
mitogen_dir=$(mitogen_strategies)
mitogen=$mitogen_dir
[ "${DJANGOOPS_RERUN_MITOGEN:-1}" = 1 ] || mitogen=""
converge_mitogen=""
[ "${DJANGOOPS_CONVERGE_MITOGEN:-0}" = 1 ] && converge_mitogen=$mitogen_dir
through() {  # STRATEGY_FOLDER step...: the step through Mitogen when the folder is set
  local folder=$1
  shift
  if [ -z "$folder" ]; then step "$@"; return; fi
  echo "(with Mitogen)"
  ANSIBLE_STRATEGY_PLUGINS=$folder ANSIBLE_STRATEGY=mitogen_linear step "$@"
}
rerun() { through "$mitogen" "$@"; }
rerun_label=${mitogen:+" (Mitogen)"}
converge_label=${converge_mitogen:+" (Mitogen)"}

if [ -f "$dir/installed-collection" ]; then
  # Run the collection as users install it: the tarball built from this checkout, installed into
  # an empty collections path that replaces the link to the checkout (scripts/env.sh).
  # Not in Molecule's ephemeral folder: `molecule destroy` empties that.
  installed=$project/.cache/installed/${DJANGOOPS_INSTANCE}
  rm -rf "$installed" && mkdir -p "$installed"
  echo "=== building and installing the collection into $installed"
  (cd "$installed" && ansible-galaxy collection build --output-path . "$project" \
    && ansible-galaxy collection install --force --no-deps -p ./collections ./djangoops-stack-*.tar.gz) || exit 1
  export ANSIBLE_COLLECTIONS_PATH="$installed/collections"
  unset ANSIBLE_ROLES_PATH
fi

result=0
# Containers an earlier run left (killed, or KEEP=1) go first. A state folder of the harness's own
# (scripts/test.sh sets one per scenario) that holds none, as in a fresh clone, skips this destroy:
# 4 to 6 s a scenario.
state=${MOLECULE_EPHEMERAL_DIRECTORY:-}/state.yml
if [ -z "${MOLECULE_EPHEMERAL_DIRECTORY:-}" ] || { [ -f "$state" ] && ! grep -qx 'created: false' "$state"; }; then
  step destroy >/dev/null 2>&1 || true
fi
t0=$SECONDS
first_converge() {
  # Create and prepare stay without Mitogen (the docker driver's create hung through it: it
  # waited on background jobs); the converge after them does not repeat them.
  if [ -n "$converge_mitogen" ]; then step create && step prepare || return 1; fi
  through "$converge_mitogen" converge
}
if ! first_converge; then
  echo "HARNESS FAIL: converge"; result=1
elif t1=$SECONDS; ! rerun idempotence; then
  echo "HARNESS FAIL: idempotence (second run changed something)"; result=1
else
  # Create + prepare + first converge, then the no-op re-run: what a user waits for.
  echo "HARNESS NOTE: converge $((t1 - t0))s$converge_label, no-op re-run $((SECONDS - t1))s$rerun_label"
  check_log=$(mktemp)
  # `molecule check` would start from fresh containers; this is check mode on the converged box.
  t2=$SECONDS
  rerun converge -- --check --diff 2>&1 | tee "$check_log"
  if [ "${PIPESTATUS[0]}" != 0 ]; then
    echo "HARNESS FAIL: check mode run failed"; result=1
  elif grep -E '^\S+\s+: ok=' "$check_log" | grep -Eq 'changed=[1-9]'; then
    echo "HARNESS FAIL: check mode on the converged box reports changes"; result=1
  elif t3=$SECONDS; { [ -f "$dir/side_effect.yml" ] || grep -q '^ *side_effect:' "$dir/molecule.yml"; } && ! rerun side-effect; then
    echo "HARNESS FAIL: side effect"; result=1
  elif t4=$SECONDS; ! DJANGOOPS_MITOGEN_STRATEGIES=$mitogen step verify; then
    echo "HARNESS FAIL: verify"; result=1
  else
    # Where the rest of the scenario's time went (the table's notes).
    echo "HARNESS NOTE: check mode $((t3 - t2))s, side effect $((t4 - t3))s, verify $((SECONDS - t4))s$rerun_label"
  fi
  rm -f "$check_log"
fi
if [ "$result" = 0 ] || [ "${KEEP:-0}" != 1 ]; then
  step destroy >/dev/null 2>&1 || true
fi
exit "$result"
