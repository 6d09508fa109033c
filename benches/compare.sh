#!/usr/bin/env bash
# Times revue against csvlens and VisiData as a user meets them, in one run, through tmux
# (tui_time.sh). Prints TSV rows: label run ttff_ms loaded_ms key_ms key2_ms vmhwm_mb.
#
#   benches/compare.sh [SIZES...]        default sizes: 10000 100000 1000000
#
# Needs: a release build (cargo build --release), csvlens (cargo install csvlens), visidata
# (pip install visidata), tmux, python3. Data is generated under $DATA (default /tmp) with
# the shared generator; nothing is written to the repo. TUI_TIME points at tui_time.sh.
set -u
cd "$(dirname "$0")/.."
TUI_TIME=${TUI_TIME:-../shared/tools/tui_time.sh}
GEN=${GEN:-../shared/tools/gen_reviews.py}
DATA=${DATA:-/tmp}
RUNS=${RUNS:-3}
REVUE=${REVUE:-./target/release/revue}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 100000 1000000)

# The match count of "baseball" in the generated data, for the final-count marker: every
# review holding it (csvlens, VisiData), and those the app shows, whose hidden spoiler
# bodies are not searched until revealed (revue).
matches() { python3 - "$1" "${2:-all}" <<'PY'
import csv, sys
csv.field_size_limit(1 << 30)
n = 0
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        body = "" if sys.argv[2] == "shown" and row["spoiler"] == "true" else row["body"]
        if "baseball" in (row["title"] + "\n" + row["author"] + "\n" + body).lower():
            n += 1
print(n)
PY
}

# The floor for an instantly loaded document: the built-in sample (25 reviews) is whole in
# the loader's first piece, so its "loaded" is the timing tool's own latency (it waits for
# the first-frame marker, then polls again for the loaded one) plus start-up and one frame.
"$TUI_TIME" -l "revue-sample-floor" -n "$RUNS" -m "reviews" -L "25 reviews" -q q -- "$REVUE"

for n in "${SIZES[@]}"; do
  txt=$DATA/revue-bench-$n.txt; csv=$DATA/revue-bench-$n.csv
  [ -f "$txt" ] || python3 "$GEN" "$n" txt 1 -o "$txt"
  [ -f "$csv" ] || python3 "$GEN" "$n" csv 1 -o "$csv"
  m=$(matches "$csv"); shown=$(matches "$csv" shown)
  echo "# $n reviews: txt $(stat -L -c %s "$txt") bytes, csv $(stat -L -c %s "$csv") bytes, $m match baseball ($shown with hidden spoiler bodies left out)"

  # revue: first frame, fully loaded (the status bar's count; the list's heading says the
  # count the page claims), then a search typed as one burst: the whole word in the prompt
  # and the settled count. REVUE_BEFORE, when set, is timed in the same rounds.
  for r in "$REVUE" ${REVUE_BEFORE:+"$REVUE_BEFORE"}; do
    label=revue-$n-search; [ "$r" = "$REVUE" ] || label=before-$n-search
    "$TUI_TIME" -l "$label" -n "$RUNS" -m "reviews" -L " $n reviews ·" \
      -k / -k lit:baseball -e "/ baseball" -E "$shown matches" -q Escape -q q -- "$r" "$txt"
  done
  # revue: the next review, and a sort change (first time: computed; the order is cached
  # after that, so a second s-cycle through the orders is instant).
  "$TUI_TIME" -l "revue-$n-next" -n "$RUNS" -m "reviews" -L " $n reviews ·" \
    -k j -e "2 of $n" -q q -- "$REVUE" "$txt"
  "$TUI_TIME" -l "revue-$n-sort" -n "$RUNS" -m "reviews" -L " $n reviews ·" \
    -k s -e "sorted by helpful" -q q -- "$REVUE" "$txt"

  # csvlens: loaded when the row count is final; filter with & over every column.
  "$TUI_TIME" -l "csvlens-$n-filter" -n "$RUNS" -m "Row 1/" -L "Row 1/$n," \
    -k '&' -k lit:baseball -k Enter -e "Filter \"baseball\"" -E "/$m]" -q q -- csvlens "$csv"

  # VisiData: loaded at "N rows"; g| selects rows matching in any column.
  command -v vd > /dev/null || continue
  vd_runs=$RUNS; [ "$n" -ge 1000000 ] && vd_runs=1
  "$TUI_TIME" -l "visidata-$n-filter" -n "$vd_runs" -W 0 -t 600 -m "rows" -L " $n rows" \
    -k 'g|' -k lit:baseball -k Enter -e "g|" -E "selected $m rows" -q C-q -- vd "$csv"
done
