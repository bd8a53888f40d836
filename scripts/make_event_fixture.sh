#!/usr/bin/env bash
# Freezes the events this release writes, for the upgrade test
# (proto/COMPATIBILITY.md rule 6): walks complaints through the procedure on
# the running local system (deploy/local/up.sh on a fresh .run), exports the
# event topics into tests/data/events/RELEASE and writes views.json, the
# complaint views this release folds from them.
set -euo pipefail
release="${1:?usage: scripts/make_event_fixture.sh RELEASE (e.g. v1.3)}"
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/local/env.sh"
out="$repo/tests/data/events/$release"
if [ -e "$out" ]; then
  echo "error: $out exists; a release's fixture is frozen once" >&2
  exit 2
fi

submit() {  # prints the new complaint's id
  ctl --as li submit "$@" | awk 'NR == 1 { print $1 }'
}
wait_for() {  # ID TEXT: until the complaint's timeline shows TEXT
  for _ in $(seq 100); do
    ctl --as qian show "$1" 2>/dev/null | grep -q "$2" && return 0
    sleep 0.2
  done
  echo "error: $1 never showed \"$2\"" >&2
  exit 1
}

# A: the whole procedure, a reopen on an unhappy follow-up included.
a=$(submit --name 李娜 --phone 13900139000 --content "厨房水管漏水" --community 阳光花园 --building 3 --unit 1202)
ctl --as li verify "$a" --outcome confirmed --note "业主确认仍在漏水" >/dev/null
wait_for "$a" "briefing sent to engineering/"
h=$(ctl --as qian show "$a" | sed -n 's|.*briefing sent to engineering/\([a-z.]*\).*|\1|p' | tail -1)
ctl --as "$h" accept "$a" >/dev/null
ctl --as "$h" note "$a" --text "上门查看：厨房下水管接口老化" >/dev/null
ctl --as "$h" pause "$a" --reason "业主出差" >/dev/null
ctl --as "$h" resume "$a" >/dev/null
ctl --as "$h" extend "$a" --target resolve --minutes 240 --reason "配件在途" >/dev/null
ctl --as zhao decide-extension "$a" --note "配件确需等待" --message "需延长4小时" >/dev/null
ctl --as "$h" resolve "$a" --outcome 已修复 --solution "更换PPR管" --prevention "纳入季度巡检" >/dev/null
ctl --as li communicate "$a" --channel phone --comments 感谢 >/dev/null
ctl --as li follow-up "$a" --satisfaction 2 --comments "还在滴水" >/dev/null
wait_for "$a" "reopened"
ctl --as "$h" resolve "$a" --outcome 已修复 --solution "更换接头" --prevention "复查" >/dev/null
ctl --as li communicate "$a" --channel phone >/dev/null
ctl --as li follow-up "$a" --satisfaction 5 >/dev/null
ctl --as li feedback "$a" --kind suggestion --text "维修很及时" >/dev/null
ctl --as "$h" personal "$a" --reason "上门前电话联系业主" >/dev/null
# B: ended at the call-back.
b=$(submit --name 王强 --phone 13700137000 --content "楼道灯不亮" --community 阳光花园 --building 5)
ctl --as li verify "$b" --outcome already-solved --note "物业已修好" >/dev/null
# C: a P1 moved between departments, refused once, reclassified.
c=$(submit --name 赵敏 --phone 13600136000 --content "电梯困人" --community 翠湖苑 --building 2)
wait_for "$c" "assigned to"
ctl --as duty.supervisor transfer "$c" --department engineering --reason "电梯归工程部" >/dev/null
ctl --as zhao reject "$c" --department engineering --reason "维保单位负责" >/dev/null
ctl --as qian reclassify "$c" --priority P2 --reason "已解困" >/dev/null
# D: withdrawn; E: erasure asked for.
d=$(submit --name 孙丽 --phone 13500135000 --content "垃圾未清运" --community 翠湖苑 --building 7)
ctl --as li withdraw "$d" --reason "已自行解决" >/dev/null
e=$(submit --name 周杰 --phone 13400134000 --content "噪音扰民" --community 阳光花园 --building 9)
ctl --as qian request-erasure "$e" --reason "业主依法要求删除" >/dev/null
# F, G (from v1.4): a previous system's history — one case closed after its
# due time (a resolve breach recorded at it), one still open.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/old.csv" <<'CSV'
id,opened,due,closed,status,type,text,team,score,where
OLD-1,2024-03-01T09:00:00+08:00,2024-03-03T09:00:00+08:00,2024-03-05T09:00:00+08:00,closed,plumbing,厨房漏水 kitchen leak,engineering,4,阳光花园
OLD-2,2024-06-01T09:00:00+08:00,,,open,cleaning,垃圾未清运,cleaning,,翠湖苑
CSV
cat >"$tmp/old.textproto" <<'PB'
source_system: "oldsys" source_id: "id" opened_at: "opened" target_at: "due" closed_at: "closed"
status: "status" category: "type" title: "text" department: "team" satisfaction: "score"
community: "where" default_channel: CHANNEL_PHONE closed_statuses: "closed"
PB
ctl --as ops/oncall import-history --mapping "$tmp/old.textproto" "$tmp/old.csv" >/dev/null
sleep 3  # the follow-ups (dispatch's, tracking's, analytics') are published


"$build_dir/tools/topic_backup/complaints-topics" --brokers="$brokers" --kafka_user=admin \
  --kafka_password_file="$KAFKA_DATA_DIR/users/admin.password" export "$tmp/export" >/dev/null
mkdir -p "$out"
for topic in complaints.intake.v1 complaints.dispatch.v1 complaints.tracking.v1 complaints.analytics.v1; do
  cp -r "$tmp/export/$topic" "$out/"
done
COMPLAINTS_FREEZE_FIXTURE="$out" "$build_dir/tests/upgrade_test" >/dev/null
echo "[fixture] $out: $(du -sh "$out" | cut -f1), complaints $a $b $c $d $e, two imported and the bring-up's samples"
