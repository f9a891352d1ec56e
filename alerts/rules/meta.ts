/** The pack watching itself: an input it needs has gone missing. */
import { SIGNALS } from '../../contract/signals';
import type { CascadeConfig, InputSignal, SignalSourceConfig } from '../../config/schema';
import { by, renameLabels, selector } from '../promql';
import { alert } from './build';
import { SERIES } from './series';
import { promql, type AlertRule } from './model';
import { toServices } from './topology';

/** Signals without which a stage goes blind. The optional ones (latency, sources) are not watched. */
const WATCHED: InputSignal[] = [
  'traffic',
  'writeBacklog',
  'writesApplied',
  'dbUtilization',
  'replicaLag',
  'healthyInstances',
  'desiredInstances',
  'lastDeploy',
];

/**
 * The recorded series that carries each signal, normalised and aggregated (a few series per service
 * or node instead of every raw input series): watching it is cheaper and it disappears with its
 * inputs. A generation-based deploy source is watched raw (its recorded time exists only after a
 * rollout).
 */
function watchedSeries(c: CascadeConfig, key: InputSignal): string | undefined {
  const recorded: Partial<Record<InputSignal, string>> = {
    traffic: SERIES.requests,
    writeBacklog: SERIES.backlog,
    writesApplied: SERIES.writesApplied,
    dbUtilization: SERIES.utilization,
    replicaLag: SERIES.lag,
    healthyInstances: SERIES.healthy,
    desiredInstances: SERIES.desired,
    lastDeploy: c.signals.lastDeploy.kind === 'timestamp' ? SERIES.deployTimestamp : undefined,
  };
  return recorded[key];
}

/** The labels that identify one series' owner: the first of the contract's labels (service or cluster). */
function ownerLabels(key: InputSignal): string[] {
  return key === 'replicaLag' || key === 'dbUtilization' ? ['cluster', 'instance'] : [SIGNALS[key].labels[0]];
}

/**
 * A signal is missing when no series of it is present (the whole signal: labelled by signal and
 * metric), or when the series of one owner that existed `lookback` ago are gone (labelled by that
 * owner); the second is left out while the first holds. Instant lookups only (one sample a series,
 * stale series drop out at once): the alert's `for` says how long it must stay missing.
 */
function missing(c: CascadeConfig, key: InputSignal, source: SignalSourceConfig): string {
  const { lookback } = c.signalMissing;
  const owners = [...ownerLabels(key), ...c.groupingLabels].join(', ');
  const tag = (expr: string) =>
    `label_replace(label_replace(${expr}, "signal", "${key}", "", ""), "metric", "${source.expr !== undefined ? key : source.metric}", "", "")`;
  const recorded = watchedSeries(c, key);
  const now =
    recorded ?? (source.expr !== undefined ? `(${source.expr.trim()})` : renameLabels(source, selector(source)));
  const before =
    recorded !== undefined
      ? `${recorded} offset ${lookback}`
      : source.expr !== undefined
        ? `last_over_time((${source.expr.trim()})[5m:1m] offset ${lookback})`
        : renameLabels(source, `${selector(source)} offset ${lookback}`);
  const whole = tag(
    `absent(${recorded ?? (source.expr !== undefined ? `(${source.expr.trim()})` : selector(source))})`
  );
  const gone = tag(`group by (${owners}) (${before}) unless group by (${owners}) (${now})`);
  // A cluster's missing series go to the services that write to it (a node's: its cluster's).
  const owner =
    ownerLabels(key)[0] === 'cluster'
      ? `(\n${toServices(c, `group ${by(c, 'cluster', 'signal', 'metric')} (${gone})`, ['signal', 'metric'])}\n)`
      : gone;
  return promql`
    ${whole}
    or
    (
      ${owner}
      unless on (signal) ${whole}
    )`;
}

export function metaAlerts(c: CascadeConfig): AlertRule[] {
  const watched = WATCHED.filter((key) => c.signals[key].enabled);
  if (watched.length === 0) {
    return [];
  }
  return [
    alert('CascadeSignalMissing', {
      expr: watched.map((key) => missing(c, key, c.signals[key])).join('\nor\n'),
      for: c.signalMissing.after,
      // absent_over_time() adds the selector's equality matchers as labels; the owners say which series went.
      by: ['signal', 'metric', 'service', 'cluster'],
      needs: [],
      summary: 'An input signal of the pack is missing.',
      description: (x) =>
        `No ${x.label('metric')} (signal ${x.label('signal')}) for ${c.signalMissing.after} or more` +
        `{{ if $labels.cluster }} from cluster {{ $labels.cluster }}{{ if $labels.service }}, which {{ $labels.service }} writes to{{ end }}` +
        `{{ else if $labels.service }} from service {{ $labels.service }}{{ end }}. ` +
        `Alerts that read it cannot fire: check the exporter, the scrape job and the pack's selectors.`,
    }),
  ];
}
