#!/usr/bin/env bash
# A real single-node Slurm cluster on localhost, started here: munged with a generated key,
# slurmctld and slurmd (Debian's slurm-wlm) with a generated slurm.conf on free loopback ports,
# state in the test's temporary folder; `jinsong sweep --slurm --submit` runs the example sweep
# as a job array whose collect job builds ensemble.h5; a requeued task resumes (runs nothing).
# Every daemon is stopped by its PID at the end, also on failure; every wait has a timeout.
source "$(dirname "$0")/lib.sh"
for cmd in munged munge slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
  command -v "$cmd" >/dev/null || skip "$cmd is not installed (munge, slurm-wlm)"
done
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"
[ "$(id -u)" -eq 0 ] || skip "the test cluster runs its daemons as root (SlurmUser=root)"
EXAMPLE="$JS_SOURCE_DIR/configs/sweeps/00_example.yaml"

# munged wants its socket folder world-searchable (mktemp -d makes 0700)
chmod 755 "$TMP"
C="$TMP/cluster"
mkdir -p "$C/munge" "$C/state" "$C/spool" "$C/log"
chmod 755 "$C" "$C/munge"
PIDS=()
stop_cluster() {
  if [ -n "${SLURM_CONF:-}" ] && [ -e "$C/ctld.pid" ]; then
    timeout 10 scancel --quiet --user=root >/dev/null 2>&1 || true
  fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap stop_cluster EXIT
# wait_until SECONDS COMMAND...: polls COMMAND until it succeeds
wait_until() {
  local t=$1
  shift
  for _ in $(seq 1 $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}
show_logs() { tail -n 20 "$C"/log/* >&2 2>/dev/null || true; }

# munge with a generated key
dd if=/dev/urandom of="$C/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$C/munge/munge.key"
SOCK="$C/munge/munge.socket.2"
munged -F -f --socket="$SOCK" --key-file="$C/munge/munge.key" --pid-file="$C/munge/munged.pid" \
  --seed-file="$C/munge/munged.seed" --log-file="$C/log/munged.log" >"$C/log/munged.out" 2>&1 &
PIDS+=($!)
wait_until 10 bash -c "munge -S '$SOCK' -n | unmunge -S '$SOCK'" \
  || { show_logs; fail "munged did not start"; }

# slurm.conf on two free loopback ports
read -r P1 P2 < <("$PYTHON" -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
HOST=$(hostname -s)
NODE=$(slurmd -C | head -n 1 | sed 's/ RealMemory=[0-9]*//')
cat >"$C/slurm.conf" <<EOF
ClusterName=jinsongtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$P1
SlurmdPort=$P2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/ctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/log/slurmctld.log
SlurmdLogFile=$C/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
$NODE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$C/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$C/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >"$C/log/slurmd.out" 2>&1 &
PIDS+=($!)
idle() { [ "$(sinfo -h -o %T 2>/dev/null)" = "idle" ]; }
wait_until 60 idle || { show_logs; fail "the test cluster's node did not come up idle"; }

# the sweep as a job array of 3 tasks, and its collect job
expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/ex" --slurm --array-size 3 \
  --time 00:10:00 --submit
expect_in "$TMP/out" "job array of 3 tasks, 4 members each"
expect_in "$TMP/out" "submitted job array"
JOB=$(sed -n 's/^submitted job array \([0-9]*\) and collect job.*/\1/p' "$TMP/out")
[ -n "$JOB" ] || fail "no job id in: $(cat "$TMP/out")"
grep -q -- "--member-range \"\$A:\$B\"" "$TMP/ex/slurm/sweep.sbatch" || fail "no --member-range"
grep -q "^#SBATCH --array=0-2" "$TMP/ex/slurm/sweep.sbatch" || fail "no --array=0-2"
noqueue() { [ -z "$(squeue -h 2>/dev/null)" ]; }
wait_until 180 noqueue || { squeue >&2; show_logs; fail "the jobs did not finish in 180 s"; }
[ -s "$TMP/ex/ensemble.h5" ] || { cat "$TMP"/ex/slurm/*.out >&2; fail "no ensemble.h5"; }
for t in 0 1 2; do
  expect_in "$TMP/ex/slurm/task_${JOB}_$t.out" "running 4 of members $((4 * t)):$((4 * t + 4))"
done
"$PYTHON" - "$TMP/ex" <<'PY' || fail "ensemble.h5 of the job array"
import sys, xarray as xr
m = xr.open_dataset(f"{sys.argv[1]}/ensemble.h5", engine="h5netcdf", group="members")
assert m.sizes["member"] == 12 and (m.status.values == "ok").all(), m.status.values
assert list(m.run_index.values) == list(range(12))
PY
# the same members as a sweep on this machine
expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/local" --quiet
for k in 0 5 11; do
  h5diff --exclude-path /provenance "$TMP/local/member_$k.h5" "$TMP/ex/member_$k.h5" >/dev/null \
    || fail "member $k differs between Slurm and the local sweep"
done

# a requeued task resumes: its members are complete, it runs none
scontrol requeue "${JOB}_1" || fail "scontrol requeue"
scontrol update jobid="${JOB}_1" StartTime=now >/dev/null 2>&1 || true
resumed() { grep -q "running 0 of members 4:8, 4 complete" "$TMP/ex/slurm/task_${JOB}_1.out"; }
wait_until 120 resumed || { cat "$TMP/ex/slurm/task_${JOB}_1.out" >&2; squeue >&2; \
  fail "the requeued task did not resume"; }
wait_until 60 noqueue || fail "the requeued task did not end"
echo "test_sweep_slurm: ok"
