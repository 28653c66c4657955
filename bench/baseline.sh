#!/usr/bin/env bash
# AIDE and sscguard on the same tree, in one run: init and verify/check wall time, peak RSS,
# and the ratios.
#
#   bench/baseline.sh [TREE]          (default /usr; needs Debian's aide and GNU time)
#
# AIDE is configured to record what sscguard records (permissions, inode, links, owner, group,
# size, mtime, ctime, file type, SHA-256) and nothing more. sscguard additionally computes MD5
# for files dpkg recorded a digest for (package check). The tree is read once before timing so
# that both tools start from a warm page cache. Numbers on a shared machine are provisional.
set -euo pipefail
TREE="${1:-/usr}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
SSCGUARD="${SSCGUARD:-$HERE/.venv/bin/sscguard}"
TIME=/usr/bin/time
command -v aide >/dev/null || { echo "bench: needs aide (apt-get install aide)"; exit 2; }
[[ -x $TIME ]] || { echo "bench: needs GNU time (apt-get install time)"; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/aide.conf" <<CONF
database_in=file:$WORK/aide.db
database_out=file:$WORK/aide.db.new
gzip_dbout=no
report_url=file:$WORK/aide.report
Checks = p+i+n+u+g+s+m+c+sha256+ftype
$TREE Checks
CONF

measure() {  # name, command...: prints "name wall_s peak_rss_kb exit"
  local name=$1; shift
  local rc=0
  $TIME -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  read -r wall rss < <(tail -n 1 "$WORK/$name.time") || true
  printf '%-16s %8.2f s %8.1f MB  exit %s\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)" "$rc"
  echo "$wall $rss" >"$WORK/$name.m"
}

echo "bench: tree $TREE: $(find "$TREE" -xdev | wc -l) entries, $(du -sh "$TREE" 2>/dev/null | cut -f1)"
echo "bench: load before start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "bench: warming the page cache ..."
find "$TREE" -xdev -type f -print0 2>/dev/null | xargs -0 cat >/dev/null 2>&1 || true

measure aide-init aide --config="$WORK/aide.conf" --init
mv "$WORK/aide.db.new" "$WORK/aide.db"
measure sscguard-init "$SSCGUARD" baseline init --db "$WORK/ssc.db" --no-default-locations \
  --path "$TREE" --no-progress --format json -o "$WORK/ssc-init.json"
measure aide-check aide --config="$WORK/aide.conf" --check
measure sscguard-verify "$SSCGUARD" baseline verify --db "$WORK/ssc.db" --no-progress \
  --format json -o "$WORK/ssc-verify.json"

ratio() { echo "scale=2; $1 / $2" | bc -l; }
read -r ai_w ai_m <"$WORK/aide-init.m"
read -r si_w si_m <"$WORK/sscguard-init.m"
read -r ac_w ac_m <"$WORK/aide-check.m"
read -r sv_w sv_m <"$WORK/sscguard-verify.m"
echo
echo "init:   sscguard takes $(ratio "$si_w" "$ai_w")x AIDE's time   (target <= 1.00)"
echo "verify: sscguard is $(ratio "$ac_w" "$sv_w")x faster than AIDE --check   (target >= 30)"
echo "RSS:    sscguard peak $(ratio "$(( si_m > sv_m ? si_m : sv_m ))" "$(( ai_m > ac_m ? ai_m : ac_m ))")x AIDE's   (target <= 1.50)"
echo "bench: load after: $(cut -d' ' -f1-3 /proc/loadavg)"
