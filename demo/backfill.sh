#!/bin/sh
# The Docker demo's history (runs once, in the Prometheus image, before Prometheus starts):
# 1. raw series: the simulator's OpenMetrics history into TSDB blocks;
# 2. the pack's first-level recording rules (those that read raw series only) over that history, through a
#    temporary Prometheus on the same data, so the seasonal baseline has earlier weeks to compare with.
set -eu
data=/prometheus
if [ -f "$data/.backfilled" ]; then
  echo "history already backfilled"; exit 0
fi
promtool tsdb create-blocks-from openmetrics --max-block-duration=24h /history/history.om "$data"
prometheus --config.file=/etc/prometheus/empty.yml --storage.tsdb.path="$data" --web.listen-address=127.0.0.1:9099 &
pid=$!
until wget -q -O /dev/null http://127.0.0.1:9099/-/ready; do sleep 1; done
start=$(head -c 64 /history/window | cut -d' ' -f1)
end=$(head -c 64 /history/window | cut -d' ' -f2)
promtool tsdb create-blocks-from rules --url=http://127.0.0.1:9099 --start="$start" --end="$end" \
  --output-dir=/tmp/rule-blocks --eval-interval=60s /etc/prometheus/first-level.rules.yml
kill "$pid"; wait "$pid" || true
mv /tmp/rule-blocks/* "$data"/
touch "$data/.backfilled"
