/**
 * The database: write backlog and its drain time, node utilisation and its time to saturation,
 * replica lag and its trend; the backlog and replica alerts.
 */
import type { CascadeConfig } from '../../config/schema';
import { by, counterRate, gauge, num, on, seconds, wallSeconds } from '../promql';
import { alert, record } from './build';
import type { AlertRule, RecordingRule } from './model';
import { SERIES as S } from './series';
import { clusterContext, toServices, topologyRecording } from './topology';
import { slow } from './traffic';

/** Below this apply rate (units/s) the drain time is computed as if it were this: a stalled queue still gets a (huge) number. */
const MIN_APPLY_RATE = 0.001;

/** Seconds the backlog takes at the current apply rate if nothing new arrives. */
const drainTimeExpr = (c: CascadeConfig) =>
  `${S.backlog} / ${on(c, 'cluster')} clamp_min(${S.writesApplied}, ${num(MIN_APPLY_RATE)})`;

export function databaseRecording(c: CascadeConfig): RecordingRule[] {
  const b = c.backlog;
  const d = c.database;
  const applyRate = `clamp_min(${S.writesApplied}, ${num(MIN_APPLY_RATE)})`;
  return [
    record(S.backlog, gauge(c, c.signals.writeBacklog, 'sum', ['cluster']), {
      by: ['cluster'],
      help: 'Write backlog of each database cluster (units of write work waiting).',
      needs: ['writeBacklog'],
    }),
    record(S.backlogTrend, `deriv(${S.backlog}[${b.trendWindow}])`, {
      by: ['cluster'],
      help: `Backlog trend: its growth in units per second over ${b.trendWindow} (negative while draining).`,
      needs: ['writeBacklog'],
    }),
    record(S.writesApplied, counterRate(c, c.signals.writesApplied, '5m', ['cluster']), {
      by: ['cluster'],
      help: 'Write work applied per second by each cluster, over 5 minutes.',
      needs: ['writesApplied'],
    }),
    record(S.drainTime, drainTimeExpr(c), {
      by: ['cluster'],
      help: 'Drain time: seconds the current backlog takes at the current apply rate if nothing new arrives.',
      needs: ['writeBacklog', 'writesApplied'],
    }),
    record(
      S.predictedDrainTime,
      `clamp_min(predict_linear(${S.backlog}[${b.trendWindow}], ${num(wallSeconds(c, b.horizon))}), 0) / ${on(c, 'cluster')} ${applyRate}`,
      {
        by: ['cluster'],
        help: `Drain time of the backlog projected ${b.horizon} ahead on its ${b.trendWindow} trend (seconds).`,
        needs: ['writeBacklog', 'writesApplied'],
      }
    ),
    record(S.utilization, gauge(c, c.signals.dbUtilization, 'max', ['cluster', 'instance', 'role']), {
      by: ['cluster', 'instance', 'role'],
      help: 'Busy fraction of each database node (0..1).',
      needs: ['dbUtilization'],
    }),
    record(
      S.timeToSaturation,
      // Only while utilisation is rising; 0 once saturated.
      `clamp_min(${num(d.saturation)} - ${S.utilization}, 0) / (deriv(${S.utilization}[${d.trendWindow}]) > 0)`,
      {
        by: ['cluster', 'instance', 'role'],
        help: `Seconds until each node reaches ${num(d.saturation * 100)}% utilisation on its ${d.trendWindow} trend (absent while not rising).`,
        needs: ['dbUtilization'],
      }
    ),
    record(S.lag, gauge(c, c.signals.replicaLag, 'max', ['cluster', 'instance']), {
      by: ['cluster', 'instance'],
      help: 'Replication lag of each replica (seconds).',
      needs: ['replicaLag'],
    }),
    record(S.lagTrend, `deriv(${S.lag}[${c.replicas.trendWindow}])`, {
      by: ['cluster', 'instance'],
      help: `Lag trend: seconds of lag gained per second over ${c.replicas.trendWindow} (1 = the replica has stopped).`,
      needs: ['replicaLag'],
    }),
    ...topologyRecording(c),
  ];
}

/**
 * Slow group: the drain time the database usually has, a weekly statistic as the traffic baseline is, so a
 * backlog held high for an hour is compared with its own history (scale-free: seconds of its own apply rate).
 * The 15-minute subquery steps are the baseline's: cheap, and an hour in them is four of 672 samples.
 */
export function databaseSeasonalRecording(c: CascadeConfig): RecordingRule[] {
  const e = c.backlog.elevated;
  // The drain time's expression over the sum and the rate, not its recorded series: the replay computes those two
  // for the slow group without promtool (alerts/replay/feeders.ts), and the week reads the same numbers.
  return [
    record(
      S.usualDrainTime,
      `quantile_over_time(${num(e.usualQuantile)}, (${drainTimeExpr(c)})[${e.usualWindow}:15m])`,
      {
        by: ['cluster'],
        help: `Usual drain time of each cluster's backlog: the ${num(e.usualQuantile * 100)}th percentile of its drain time over the last ${e.usualWindow} (seconds).`,
        needs: ['writeBacklog', 'writesApplied'],
      }
    ),
  ];
}

/**
 * Database alerts name the cluster and every service that writes to it (see topology.ts); a node
 * alert is reduced to its cluster's worst node first, the value the description shows.
 */
const perCluster = (c: CascadeConfig, aggregation: 'max' | 'min', expr: string) =>
  `${aggregation} ${by(c, 'cluster')} (\n  ${expr.replace(/\n/g, '\n  ')}\n)`;

export function backlogAlerts(c: CascadeConfig): AlertRule[] {
  const b = c.backlog;
  const d = c.database;
  const cluster = on(c, 'cluster');
  const drainTooLong = `${S.predictedDrainTime} > ${num(seconds(b.maxDrainTime))}`;
  const overLimit = `${S.predictedDrainTime}\n    and ${cluster} predict_linear(${S.backlog}[${b.trendWindow}], ${num(wallSeconds(c, b.horizon))}) > ${num(b.limit ?? 0)}`;
  const growing = b.limit === null ? drainTooLong : `(\n  ${drainTooLong}\n  or\n  ${overLimit}\n)`;
  const node = on(c, 'cluster', 'instance', 'role');
  const queueKnown = c.signals.writeBacklog.enabled && c.signals.writesApplied.enabled;
  const held = `${num(b.elevated.factor)} * ${slow(S.usualDrainTime, c)}`;
  return [
    alert('CascadeWriteBacklogGrowing', {
      expr: toServices(
        c,
        [
          growing,
          `and ${cluster} ${S.backlogTrend} > 0`,
          `and ${cluster} ${S.drainTime} > ${num(seconds(b.minDrainTime))}`,
        ].join('\n')
      ),
      for: b.for,
      by: ['service', 'cluster'],
      needs: ['writeBacklog', 'writesApplied'],
      summary: 'The write backlog is growing faster than the database drains it.',
      description: (x) =>
        `The write backlog of ${x.label('cluster')} is ${x.context('backlog', 'number')} and growing by ` +
        `${x.context('trend', 'number')}/s; at this trend it needs ${x.value('duration')} to drain in ${b.horizon} ` +
        `(${x.context('drain', 'duration')} now). Shed or rate-limit the traffic that creates it, pause background work, add capacity now.`,
      context: {
        backlog: clusterContext(S.backlog),
        trend: clusterContext(S.backlogTrend),
        drain: clusterContext(S.drainTime),
      },
    }),
    alert('CascadeWriteBacklogElevated', {
      // Held, not growing: a queue at several times its usual wait for an hour has no headroom left, although
      // its trend is flat (the database's workers are at their ceiling). The floor keeps a quiet database quiet.
      expr: toServices(
        c,
        [
          // Above the held level and the floor, in one comparison.
          `min_over_time(${S.drainTime}[${b.elevated.for}]) > ${cluster} clamp_min(${held}, ${num(seconds(b.minDrainTime))})`,
          // ...and not on its way down: a batch that has ended drains, and its projection falls to zero.
          `and ${cluster} ${S.predictedDrainTime} > ${cluster} (${held})`,
        ].join('\n')
      ),
      for: '1m',
      patience: `${b.elevated.for} (above ${num(b.elevated.factor)}x the usual drain time throughout)`,
      keepFiringFor: b.elevated.keepFiringFor,
      by: ['service', 'cluster'],
      needs: ['writeBacklog', 'writesApplied'],
      summary: 'The write backlog has stayed far above its usual size.',
      description: (x) =>
        `The write backlog of ${x.label('cluster')} has needed at least ${x.value('duration')} to drain for ` +
        `${b.elevated.for}, against ${x.context('usual', 'duration')} usually (${num(b.elevated.usualQuantile * 100)}th ` +
        `percentile of the last ${b.elevated.usualWindow}). The database works near its ceiling: the next rise in ` +
        `writes fills it. Add capacity or shed the work that writes before it does.`,
      context: { usual: clusterContext(S.usualDrainTime) },
    }),
    alert('CascadeDatabaseSaturationImminent', {
      expr: toServices(
        c,
        perCluster(
          c,
          'min',
          [
            `${S.timeToSaturation} < ${num(wallSeconds(c, d.horizon))}`,
            `and ${node} ${S.utilization} >= ${num(d.minUtilization)}`,
            // Not yet saturated (CascadeDatabaseSaturated takes over), and still climbing now: a step
            // (a batch switching on) is not a trend.
            `and ${node} ${S.utilization} < ${num(d.saturation)}`,
            `and ${node} deriv(${S.utilization}[5m]) > ${num(d.minTrendConsistency)} * deriv(${S.utilization}[${d.trendWindow}])`,
          ].join('\n')
        )
      ),
      for: d.imminentFor,
      by: ['service', 'cluster'],
      needs: ['dbUtilization'],
      summary: 'A database node is on course to saturate.',
      description: (x) =>
        `The busiest node of ${x.label('cluster')} is ${x.context('utilization', 'percent')} busy; the first to get there ` +
        `reaches ${num(d.saturation * 100)}% in about ${x.value('duration')} on its ${d.trendWindow} trend. ` +
        `Add replicas while the primary can still feed them; shed load that writes.`,
      context: { utilization: clusterContext(`max ${by(c, 'cluster')} (${S.utilization})`) },
    }),
    alert('CascadeDatabaseSaturated', {
      // Saturated throughout the window, with work queuing behind it: a batch that keeps up at
      // 97 % is busy, not saturated.
      expr: toServices(
        c,
        perCluster(
          c,
          'max',
          [
            `min_over_time(${S.utilization}{role="${c.signals.dbUtilization.primaryRole}"}[${d.saturatedFor}]) >= ${num(d.saturation)}`,
            ...(queueKnown ? [`and ${cluster} ${S.drainTime} > ${num(seconds(d.saturatedMinDrainTime))}`] : []),
          ].join('\n')
        )
      ),
      for: '1m',
      by: ['service', 'cluster'],
      needs: ['dbUtilization'],
      summary: 'The primary database is saturated.',
      description: (x) =>
        `The primary of ${x.label('cluster')} has been at least ${x.value('percent')} busy for ${d.saturatedFor}` +
        (queueKnown ? `, with ${x.context('drain', 'duration')} of write work queued behind it` : '') +
        `: writes queue, replicas fall behind, health checks start failing next.`,
      ...(queueKnown ? { context: { drain: clusterContext(S.drainTime) } } : {}),
    }),
  ];
}

export function replicaAlerts(c: CascadeConfig): AlertRule[] {
  const r = c.replicas;
  return [
    alert('CascadeReplicaLagGrowing', {
      expr: toServices(
        c,
        perCluster(
          c,
          'max',
          `${S.lag} > ${num(r.lagWarning)} and ${on(c, 'cluster', 'instance')} ${S.lagTrend} > ${num(r.minGrowth * c.timeScale)}`
        )
      ),
      for: r.growingFor,
      by: ['service', 'cluster'],
      needs: ['replicaLag'],
      summary: 'A replica is falling behind.',
      description: (x) =>
        `The furthest-behind replica of ${x.label('cluster')} is ${x.value('duration')} behind; the fastest-falling gains ` +
        `${x.context('trend', 'factor')} s of lag per second. Reads from it are stale; the primary is likely overloaded.`,
      context: { trend: clusterContext(`max ${by(c, 'cluster')} (${S.lagTrend})`) },
    }),
    alert('CascadeReplicaLagHigh', {
      expr: toServices(c, perCluster(c, 'max', `${S.lag} > ${num(r.lagCritical)}`)),
      for: r.highFor,
      by: ['service', 'cluster'],
      needs: ['replicaLag'],
      summary: 'A replica is far behind its primary.',
      description: (x) =>
        `The furthest-behind replica of ${x.label('cluster')} is ${x.value('duration')} behind (critical above ` +
        `${num(r.lagCritical)} s). Take it out of the read pool or expect stale and failing reads.`,
    }),
  ];
}
