/**
 * Traffic: request and error rates, the seasonal baseline with its band, velocity, the
 * pre-deploy latch, the SLO windows; and the traffic, deploy and SLO alerts that read them.
 */
import type { CascadeConfig } from '../../config/schema';
import { by, counterRate, formatDuration, gauge, matcher, num, on, seconds, wallSeconds } from '../promql';
import { alert, record } from './build';
import { promql, type AlertRule, type RecordingRule } from './model';
import { SERIES as S, SLO_FAST_WINDOWS, SLO_SLOW_WINDOWS, errorRatioOver } from './series';

const WEEK = 7 * 24 * 3600;

/**
 * A route surges when its own velocity passes the surge ratio, it carried more than the low-traffic floor before,
 * its extra traffic is at least `routeMinShare` of the service's, and it is above its usual rate by more than the
 * minimum band (see `aboveUsual`). The fastest such route, per service.
 */
function routeSurge(c: CascadeConfig): string {
  const t = c.traffic;
  const route = on(c, 'service', 'route');
  // A route's average over the long window, before its last 5 minutes.
  const before = `(${S.requestsByRoute} / ${S.routeVelocity})`;
  return promql`
    max ${by(c, 'service')} (
      ${S.routeVelocity} > ${num(t.surge.ratio)}
      and ${route} ${before} > ${num(t.lowTrafficFloor)}
      and ${route} (${S.requestsByRoute} - ${before})
        > ${on(c, 'service')} group_left () ${num(t.surge.routeMinShare)} * ${S.requests}
      unless ${route} ${S.requestsByRoute} <= ${route} ${aboveUsual(c)} * ${slow(S.routeBaseline, c)}
    )`;
}

/**
 * How far above its usual rate a surge must have lifted the traffic: the band's minimum half-width. A surge from
 * the usual level passes it anyway (the surge ratio is larger); traffic climbing back after a drop climbs as
 * steeply but ends inside the band, often a little above the baseline (1.10-1.15x in generated drop worlds).
 */
function aboveUsual(c: CascadeConfig): string {
  return num(1 + c.traffic.baseline.minBandRatio);
}

/**
 * Routes below `ratio` x their usual rate, of those usually above the low-traffic floor, and meeting `also` when
 * given, counted per service: the drop alert's per-route tiers.
 */
function routesBelowUsual(c: CascadeConfig, ratio: number, also?: string): string {
  const route = on(c, 'service', 'route');
  const extra = also === undefined ? '' : `\n      and ${route} (${also})`;
  return promql`
    count ${by(c, 'service')} (
      ${S.requestsByRoute} < ${route} ${num(ratio)} * ${slow(S.routeBaseline, c)}
      and ${route} ${slow(S.routeBaseline, c)} > ${num(c.traffic.lowTrafficFloor)}${extra}
    )`;
}

/**
 * The falling tier's test, on a series of minute-over-minute change ratios: every reading of the last
 * `falling.for` fell, by at least `minPerMinute` and at most `maxPerMinute`. A counter reset's dip, or a step, takes a
 * fifth off a 5-minute rate in one minute; a steady fall does not. The range stops half an evaluation short of `for`
 * so that it holds the same readings whether the range includes its start (Prometheus 2) or not (3).
 */
function fellEveryMinute(changeRatio: string, c: CascadeConfig): string {
  const falling = c.traffic.anomalyLow.falling;
  const range = formatDuration(Math.round(seconds(falling.for) - seconds(c.evaluationInterval) / 2));
  const fell = `max_over_time(${changeRatio}[${range}]) < ${num(1 - falling.minPerMinute)}`;
  return `${fell} and min_over_time(${changeRatio}[${range}]) >= ${num(1 - falling.maxPerMinute)}`;
}

/** Fast group: rates, ratios, velocity, deploys. Evaluated every `evaluationInterval`. */
export function trafficRecording(c: CascadeConfig): RecordingRule[] {
  const traffic = c.signals.traffic;
  const errorMatcher = matcher(traffic, 'code', '=~', c.traffic.errorCodes);
  const deployWindow = c.deploy.window;
  const rules: RecordingRule[] = [
    record(S.requestsByRoute, counterRate(c, traffic, '5m', ['service', 'route']), {
      by: ['service', 'route'],
      help: 'Requests per second of each route, over 5 minutes.',
      needs: ['traffic'],
    }),
    record(
      S.errorsByRoute,
      // `or ... * 0`: a route without errors records 0, so its ratios exist and read 0.
      promql`
        ${counterRate(c, traffic, '5m', ['service', 'route'], errorMatcher)}
        or
        ${S.requestsByRoute} * 0`,
      {
        by: ['service', 'route'],
        help: `Error responses (code =~ "${c.traffic.errorCodes}") per second of each route, over 5 minutes.`,
        needs: ['traffic'],
      }
    ),
    record(S.errorRatioByRoute, `${S.errorsByRoute} / (${S.requestsByRoute} > 0)`, {
      by: ['service', 'route'],
      help: 'Errors over all requests of each route, over 5 minutes (0..1).',
      needs: ['traffic'],
    }),
    record(S.requests, `sum ${by(c, 'service')} (${S.requestsByRoute})`, {
      by: ['service'],
      help: 'Requests per second of each service (all routes), over 5 minutes.',
      needs: ['traffic'],
    }),
    record(S.errors, `sum ${by(c, 'service')} (${S.errorsByRoute})`, {
      by: ['service'],
      help: 'Error responses per second of each service, over 5 minutes.',
      needs: ['traffic'],
    }),
    record(S.errorRatio, `${S.errors} / (${S.requests} > 0)`, {
      by: ['service'],
      help: 'Errors over all requests of each service, over 5 minutes (0..1): the request-weighted error ratio.',
      needs: ['traffic'],
    }),
    record(S.velocity, `${S.requests} / (avg_over_time(${S.requests}[${c.traffic.surge.longWindow}] offset 5m) > 0)`, {
      by: ['service'],
      help: `Traffic velocity: the last 5 minutes' rate over the average rate of the ${c.traffic.surge.longWindow} before them (1 = steady).`,
      needs: ['traffic'],
    }),
    record(
      S.baselineDeviation,
      // The band alerts' patience reads this over a window: each minute against that minute's band.
      promql`
        (${S.requests} - ${on(c, 'service')} ${slow(S.baseline, c)})
        / ${on(c, 'service')}
        (${slow(S.baselineUpper, c)} - ${on(c, 'service')} ${slow(S.baseline, c)} > 0)`,
      {
        by: ['service'],
        help: "Where each service's rate sits in its seasonal band, in half-widths: 0 at the baseline, +1 at the upper band, -1 at the lower.",
        needs: ['traffic'],
      }
    ),
    record(
      S.routeVelocity,
      `${S.requestsByRoute} / (avg_over_time(${S.requestsByRoute}[${c.traffic.surge.longWindow}] offset 5m) > 0)`,
      {
        by: ['service', 'route'],
        help: `Velocity of each route: its last 5 minutes' rate over its own average of the ${c.traffic.surge.longWindow} before them (1 = steady).`,
        needs: ['traffic'],
      }
    ),
    // The route terms of the traffic alerts, once per service: the alerts and the cascade's stages read them.
    record(S.routeSurgeVelocity, routeSurge(c), {
      by: ['service'],
      help: `The fastest-rising route of each service that counts as a surge: velocity above ${num(c.traffic.surge.ratio)}, above its usual rate by more than the minimum band (x${aboveUsual(c)}), extra traffic at least ${num(c.traffic.surge.routeMinShare * 100)}% of the service's (absent when none).`,
      needs: ['traffic'],
    }),
    record(S.routesFarBelowUsual, routesBelowUsual(c, c.traffic.anomalyLow.deep.ratio), {
      by: ['service'],
      help: `How many routes of each service are below ${num(c.traffic.anomalyLow.deep.ratio)}x their usual rate (routes usually above the low-traffic floor; absent when none).`,
      needs: ['traffic'],
    }),
    record(S.minuteChange, `${S.requests} / (${S.requests} offset 1m > 0)`, {
      by: ['service'],
      help: "Each service's 5-minute rate over its value a minute earlier (below 1 while traffic falls).",
      needs: ['traffic'],
    }),
    record(S.routeMinuteChange, `${S.requestsByRoute} / (${S.requestsByRoute} offset 1m > 0)`, {
      by: ['service', 'route'],
      help: "Each route's 5-minute rate over its value a minute earlier (below 1 while traffic falls).",
      needs: ['traffic'],
    }),
    record(
      S.routesFalling,
      routesBelowUsual(c, c.traffic.anomalyLow.falling.ratio, fellEveryMinute(S.routeMinuteChange, c)),
      {
        by: ['service'],
        help: `How many routes of each service are below ${num(c.traffic.anomalyLow.falling.ratio)}x their usual rate and fell by ${num(c.traffic.anomalyLow.falling.minPerMinute * 100)}-${num(c.traffic.anomalyLow.falling.maxPerMinute * 100)}% in every minute of the last ${c.traffic.anomalyLow.falling.for} (routes usually above the low-traffic floor; absent when none).`,
        needs: ['traffic'],
      }
    ),
  ];

  if (c.signals.trafficSources.enabled) {
    rules.push(
      record(S.sources, gauge(c, c.signals.trafficSources, 'max', ['service']), {
        by: ['service'],
        help: 'Distinct client networks seen in the last minute, per service.',
        needs: ['trafficSources'],
      }),
      record(
        S.sourcesVelocity,
        `${S.sources} / (avg_over_time(${S.sources}[${c.traffic.surge.longWindow}] offset 5m) > 0)`,
        {
          by: ['service'],
          help: `Client networks now over their average in the ${c.traffic.surge.longWindow} before the last 5 minutes (1 = steady).`,
          needs: ['trafficSources'],
        }
      )
    );
  }

  rules.push(...deployRecording(c));

  for (const window of SLO_FAST_WINDOWS) {
    rules.push(sloRatio(c, window, `[${window}]`));
  }
  return rules;

  function deployRecording(config: CascadeConfig): RecordingRule[] {
    const deploy = config.signals.lastDeploy;
    const timestampExpr =
      deploy.kind === 'timestamp'
        ? gauge(config, deploy, 'max', ['service'])
        : // A generation that changed within the last 2 minutes marks a rollout; the latest such
          // minute within the deploy window (plus margin) is the deploy time.
          generationDeployTime(config, deployWindow);
    const latchWindow = `${num(wallSeconds(config, deployWindow))}`;
    const route = on(config, 'service', 'route');
    // A route's rate over its pre-deploy latch.
    const ownRise = `(${S.requestsByRoute} / ${route} (${S.predeployRate} > 0))`;
    return [
      record(S.deployTimestamp, timestampExpr, {
        by: ['service'],
        help:
          deploy.kind === 'timestamp'
            ? 'Unix time of the last deploy of each service.'
            : `Unix time of the last rollout of each service, known for ${deployWindow} after it (generation-based source).`,
        needs: ['lastDeploy'],
      }),
      record(S.deployAge, `time() - ${S.deployTimestamp}`, {
        by: ['service'],
        help: 'Seconds since the last deploy of each service.',
        needs: ['lastDeploy'],
      }),
      record(
        S.predeployRate,
        // A latch: outside a deploy window it follows the route's rate (averaged over 15 minutes,
        // ending 5 minutes ago so a late-seen deploy never leaks in); inside the window it keeps
        // the value it had when the deploy arrived.
        promql`
          avg_over_time(${S.requestsByRoute}[15m] offset 5m)
            unless ${on(config, 'service')} (${S.deployAge} < ${latchWindow})
          or
          ${S.predeployRate}
            and ${on(config, 'service')} (${S.deployAge} < ${latchWindow})`,
        {
          by: ['service', 'route'],
          help: `Each route's request rate just before the last deploy, held for ${deployWindow} after it.`,
          needs: ['traffic', 'lastDeploy'],
        }
      ),
      record(
        S.deployJump,
        // Against the rest of the service, so a daily ramp or a service-wide surge in the window is not a jump:
        // the route's rate over its latch, over the other routes' together over theirs. A route with no other
        // traffic beside it is measured against its own latch alone.
        promql`
          ${ownRise}
          / ${route}
          (
            (${S.requests} - ${on(config, 'service')} group_right () ${S.requestsByRoute})
            / ${route}
            (sum ${by(config, 'service')} (${S.predeployRate}) - ${on(config, 'service')} group_right () ${S.predeployRate} > 0)
            > 0
          )
          or
          ${ownRise}`,
        {
          by: ['service', 'route'],
          help: "Each route's rate over its rate before the last deploy, against the same ratio for the service's other routes together (1 = the route moved with the rest of the service).",
          needs: ['traffic', 'lastDeploy'],
        }
      ),
      record(
        S.predeployErrorRatio,
        // Outside a deploy window the rate latch just recorded (above, same group and evaluation) is the
        // same 15-minute average of the route's rate: reading it saves averaging every route twice.
        promql`
          (
            avg_over_time(${S.errorsByRoute}[15m] offset 5m)
            /
            (${S.predeployRate} > 0)
          )
            unless ${on(config, 'service')} (${S.deployAge} < ${latchWindow})
          or
          ${S.predeployErrorRatio}
            and ${on(config, 'service')} (${S.deployAge} < ${latchWindow})`,
        {
          by: ['service', 'route'],
          help: `Each route's error ratio just before the last deploy, held for ${deployWindow} after it.`,
          needs: ['traffic', 'lastDeploy'],
        }
      ),
    ];
  }
}

function generationDeployTime(c: CascadeConfig, deployWindow: string): string {
  const source = c.signals.lastDeploy;
  const raw =
    source.expr !== undefined
      ? `(${source.expr.trim()})`
      : `${source.metric}${source.matchers.trim() ? `{${source.matchers.trim()}}` : ''}`;
  const lookback = formatDuration(seconds(deployWindow) + 600);
  const changed = `max_over_time((timestamp(changes(${raw}[2m]) > 0))[${lookback}:1m])`;
  const renamed = Object.entries(source.labels).reduce(
    (expr, [contract, from]) =>
      from === contract ? expr : `label_replace(${expr}, "${contract}", "$1", "${from}", "(.*)")`,
    changed
  );
  return `max ${by(c, 'service')} (${renamed})`;
}

/** Request-weighted error ratio over a window: total errors over total requests, per service. */
function sloRatio(c: CascadeConfig, window: string, range: string): RecordingRule {
  return record(
    errorRatioOver(window),
    `avg_over_time(${S.errors}${range}) / (avg_over_time(${S.requests}${range}) > 0)`,
    {
      by: ['service'],
      help: `Errors over all requests of each service over ${window} (request-weighted, 0..1).`,
      needs: ['traffic'],
    }
  );
}

/**
 * Slow group: the seasonal baseline and its band, and the long SLO windows. Weekly statistics
 * use 15-minute subquery steps: cheap, and within promtool's 10,000-samples-per-query limit.
 */
export function trafficSeasonalRecording(c: CascadeConfig): RecordingRule[] {
  const b = c.traffic.baseline;
  const half = seconds(b.window) / 2;
  const rules: RecordingRule[] = [];
  for (let week = 1; week <= b.weeks; week++) {
    const growth = num(Math.pow(b.maxWeeklyGrowth, week));
    const shrink = num(Math.pow(b.maxWeeklyGrowth, -week));
    rules.push(
      record(
        S.levelRatio,
        // The last day's average rate (ending an hour ago, so a surge in progress does not raise
        // its own baseline) over the same day `week` weeks earlier: growth, and weekly shifts.
        promql`
          clamp(
            avg_over_time(${S.requests}[1d] offset 1h)
            /
            (avg_over_time(${S.requests}[1d] offset ${formatDuration(week * WEEK + 3600)}) > 0),
            ${shrink}, ${growth}
          )
          or
          ${S.requests} * 0 + 1`,
        {
          by: ['service', 'weeks_ago'],
          help: `Each service's traffic level now against 1..${b.weeks} weeks ago (label weeks_ago): the last day's average rate over the same day's then, clamped to ${num(b.maxWeeklyGrowth)}^±weeks; 1 while unknown.`,
          needs: ['traffic'],
          labels: { weeks_ago: String(week) },
        }
      )
    );
  }
  for (let week = 1; week <= b.weeks; week++) {
    // The window is centred on the same time of week, so the band does not lag the curve.
    const offset = formatDuration(week * WEEK - half);
    const level = `ignoring (weeks_ago) ${S.levelRatio}{weeks_ago="${week}"}`;
    rules.push(
      record(S.seasonal, `avg_over_time(${S.requests}[${b.window}] offset ${offset}) * ${level}`, {
        by: ['service', 'weeks_ago'],
        help: `Each service's average rate in a ${b.window} window centred on the same time 1..${b.weeks} weeks ago (label weeks_ago), scaled by its level ratio.`,
        needs: ['traffic'],
        labels: { weeks_ago: String(week) },
      }),
      record(S.seasonalStddev, `stddev_over_time(${S.requests}[${b.window}] offset ${offset}) * ${level}`, {
        by: ['service', 'weeks_ago'],
        help: `Standard deviation of each service's rate within that window (short-term noise), per weeks_ago.`,
        needs: ['traffic'],
        labels: { weeks_ago: String(week) },
      })
    );
  }
  const halfWidth = promql`
    clamp_min(
      (${num(b.stddevMultiplier)} * ${S.baselineStddev} > ${num(b.minBandRatio)} * ${S.baseline})
      or
      ${num(b.minBandRatio)} * ${S.baseline},
      ${num(b.minBandAbsolute)}
    )`;
  rules.push(
    record(S.baseline, `quantile without (weeks_ago) (0.5, ${S.seasonal})`, {
      by: ['service'],
      help: 'Seasonal baseline of each service: the median of the earlier weeks at the same time, growth-adjusted (req/s).',
      needs: ['traffic'],
    }),
    record(
      S.routeBaseline,
      // A route's usual rate: its share of the service's traffic (the median of the last day's 24 hourly shares,
      // ending an hour ago: neither a drop in progress nor a few hours of surge yesterday move it) times the
      // service's seasonal baseline. One seasonal statistic per service, not per route: routes follow their
      // service's day.
      promql`
        quantile_over_time(0.5,
          (${S.requestsByRoute} / ${on(c, 'service')} group_left () (${S.requests} > 0))[1d:1h] offset 1h
        )
        * ${on(c, 'service')} group_left
        ${S.baseline}`,
      {
        by: ['service', 'route'],
        help: "Each route's usual rate now: its median share of the service's requests over the last day's hours, times the service's seasonal baseline (req/s).",
        needs: ['traffic'],
      }
    ),
    record(
      S.baselineStddev,
      // Robust spread: the median absolute deviation of the weeks from the baseline (x1.4826, a
      // standard deviation for normal noise), combined with the median noise within the weeks.
      // One unusual week (an outage, a past surge) neither moves the baseline nor widens the band.
      promql`
        (
          (1.4826 * quantile without (weeks_ago) (0.5,
            abs(${S.seasonal} - ignoring (weeks_ago) group_left ${S.baseline})
          )) ^ 2
          +
          (quantile without (weeks_ago) (0.5, ${S.seasonalStddev})) ^ 2
        ) ^ 0.5`,
      {
        by: ['service'],
        help: 'Spread around the baseline: median deviation of the earlier weeks from it and median noise within them, as a standard deviation (req/s).',
        needs: ['traffic'],
      }
    ),
    record(S.baselineUpper, `${S.baseline} + ${halfWidth}`, {
      by: ['service'],
      help: `Upper band: baseline + max(${num(b.stddevMultiplier)} standard deviations, ${num(b.minBandRatio * 100)}% of the baseline, ${num(b.minBandAbsolute)} req/s).`,
      needs: ['traffic'],
    }),
    record(S.baselineLower, `clamp_min(2 * ${S.baseline} - ${S.baselineUpper}, 0)`, {
      by: ['service'],
      help: 'Lower band: the baseline minus the same half-width, at least 0.',
      needs: ['traffic'],
    })
  );
  for (const window of SLO_SLOW_WINDOWS) {
    rules.push(sloRatio(c, window, `[${window}:5m]`));
  }
  return rules;
}

/** Reads a series of the slow group from a fast one: bridges the slow group's interval. */
export function slow(series: string, c: CascadeConfig): string {
  return `last_over_time(${series}[${formatDuration(2 * seconds(c.slowEvaluationInterval))}])`;
}

const m = (series: string) => (matchers: string) => `${series}{${matchers}}`;

/**
 * The band alerts' two tiers of patience in one rule (Prometheus keeps one `for` per rule): the rule waits
 * `deep.for`; the shallow tier also asks the rate to have been outside the band (each minute against that
 * minute's band: the recorded deviation) over the `for - deep.for` before that, so a shallow deviation waits
 * `for` in all and a deep one `deep.for`.
 */
function outsideBand(tiers: { for: string; deep: { for: string } }, side: 'above' | 'below'): string {
  const before = seconds(tiers.for) - seconds(tiers.deep.for);
  const [over, test] = side === 'above' ? ['min', '> 1'] : ['max', '< -1'];
  return before > 0
    ? `${over}_over_time(${S.baselineDeviation}[${formatDuration(before)}]) ${test}`
    : `${S.baselineDeviation} ${test}`;
}

export function trafficAlerts(c: CascadeConfig): AlertRule[] {
  const t = c.traffic;
  const floor = num(t.lowTrafficFloor);
  const service = on(c, 'service');
  const route = on(c, 'service', 'route');
  const withSources = c.signals.trafficSources.enabled;
  const serviceSurge = withSources
    ? promql`
        (
          ${S.velocity} > ${num(t.surge.ratio)}
          or
          ${S.velocity} > ${num(t.surge.ratioWithNewSources)}
            and ${service} ${S.sourcesVelocity} > ${num(t.surge.sourcesRatio)}
        )
        and ${service} ${S.requests} > ${floor}`
    : `${S.velocity} > ${num(t.surge.ratio)} and ${service} ${S.requests} > ${floor}`;
  const deepLow = num(t.anomalyLow.deep.ratio);
  const falling = t.anomalyLow.falling;

  return [
    alert('CascadeTrafficAnomalyHigh', {
      expr: promql`
        ${S.requests}
        and ${service} (
          ${outsideBand(t.anomalyHigh, 'above')}
          or
          ${S.requests} > ${service} ${num(t.anomalyHigh.deep.ratio)} * ${slow(S.baseline, c)}
            and ${service} ${S.requests} > ${service} ${slow(S.baselineUpper, c)}
        )
        and ${service} ${S.requests} > ${floor}`,
      for: t.anomalyHigh.deep.for,
      keepFiringFor: t.anomalyHigh.keepFiringFor,
      patience: `${t.anomalyHigh.for} (${t.anomalyHigh.deep.for} above ${num(t.anomalyHigh.deep.ratio)}x the baseline)`,
      by: ['service'],
      needs: ['traffic'],
      summary: 'Traffic is above its seasonal baseline band.',
      description: (x) =>
        `${x.label('service')} serves ${x.value('number')} req/s, above the upper band of ${x.context('upper', 'number')} req/s ` +
        `(baseline ${x.context('baseline', 'number')} req/s at this time in earlier weeks). ` +
        `Check the traffic's shape and sources before the database feels it.`,
      context: { upper: m(S.baselineUpper), baseline: m(S.baseline) },
    }),
    alert('CascadeTrafficAnomalyLow', {
      expr: promql`
        ${S.requests}
        and ${service} (
          ${outsideBand(t.anomalyLow, 'below')}
          or
          ${S.requests} < ${service} ${deepLow} * ${slow(S.baseline, c)}
            and ${service} ${S.requests} < ${service} ${slow(S.baselineLower, c)}
          or
          ${S.routesFarBelowUsual} > 0
          or
          ${S.requests} < ${service} ${num(falling.ratio)} * ${slow(S.baseline, c)}
            and ${service} (${fellEveryMinute(S.minuteChange, c)})
          or
          ${S.routesFalling} > 0
        )
        and ${service} ${slow(S.baseline, c)} > ${floor}`,
      for: t.anomalyLow.deep.for,
      keepFiringFor: t.anomalyLow.keepFiringFor,
      patience:
        `${t.anomalyLow.for} (${t.anomalyLow.deep.for} below ${num(t.anomalyLow.deep.ratio)}x the baseline, or one route below ${num(t.anomalyLow.deep.ratio)}x its usual rate; ` +
        `${t.anomalyLow.deep.for} below ${num(falling.ratio)}x after ${falling.for} of falling, the service or one route)`,
      by: ['service'],
      needs: ['traffic'],
      summary: 'Traffic is below its seasonal baseline band.',
      description: (x) =>
        `${x.label('service')} serves ${x.value('number')} req/s against a baseline of ${x.context('baseline', 'number')} req/s ` +
        `(lower band ${x.context('lower', 'number')} req/s); its furthest-fallen route is at ${x.context('route', 'percent')} of its usual rate. ` +
        `Clients may be failing before they reach it, or a route is down.`,
      context: {
        lower: m(S.baselineLower),
        baseline: m(S.baseline),
        route: (matchers) =>
          `min ${by(c, 'service')} (${S.requestsByRoute}{${matchers}} / ${route} ${slow(`${S.routeBaseline}{${matchers}}`, c)})`,
      },
    }),
    alert('CascadeTrafficSurge', {
      // Above the usual rate by more than the minimum band too (a route: its own usual rate): traffic coming back
      // after a drop climbs as steeply, and is no surge.
      expr: promql`
        (
          ${serviceSurge}
          unless ${service} ${S.requests} <= ${service} ${aboveUsual(c)} * ${slow(S.baseline, c)}
        )
        or
        ${S.routeSurgeVelocity}`,
      for: t.surge.for,
      by: ['service'],
      needs: ['traffic'],
      summary: 'Traffic is rising much faster than usual.',
      description: (x) =>
        `${x.label('service')}'s request rate, or one of its routes', is ${x.value('factor')}x its average of the previous ${t.surge.longWindow} ` +
        `(the service: ${x.context('velocity', 'factor')}x, now ${x.context('rate', 'number')} req/s; its fastest-rising route: ${x.context('route', 'factor')}x` +
        (withSources ? `; client networks ${x.context('sources', 'factor')}x` : '') +
        `). A surge this steep creates write work faster than it drains: watch the backlog.`,
      context: {
        velocity: m(S.velocity),
        rate: m(S.requests),
        route: m(S.routeVelocity),
        ...(withSources ? { sources: m(S.sourcesVelocity) } : {}),
      },
    }),
  ];
}

export function deployAlerts(c: CascadeConfig): AlertRule[] {
  const d = c.deploy;
  const window = num(wallSeconds(c, d.window));
  const route = on(c, 'service', 'route');
  const inWindow = `${on(c, 'service')} ${S.deployAge} < ${window}`;
  const context = {
    predeploy: m(S.predeployRate),
    // The deploy's age is per service: carry it onto the route's labels.
    age: (matchers: string) => `${S.requestsByRoute}{${matchers}} * 0 + ${on(c, 'service')} group_left ${S.deployAge}`,
  };
  return [
    alert('CascadeDeployTrafficAnomaly', {
      expr: promql`
        ${S.requestsByRoute}
        and ${route} ${S.deployJump} > ${num(d.trafficRatio)}
        and ${route} ${S.requestsByRoute} - ${route} ${S.predeployRate} > ${num(d.trafficMinIncrease)}
        and ${inWindow}`,
      for: d.for,
      by: ['service', 'route'],
      needs: ['traffic', 'lastDeploy'],
      summary: 'Requests to a route jumped right after a deploy.',
      description: (x) =>
        `Route ${x.label('route')} of ${x.label('service')} serves ${x.value('number')} req/s against ` +
        `${x.context('predeploy', 'number')} req/s before the deploy ${x.context('age', 'duration')} ago. ` +
        `Clients retrying a broken release look like this: smoke-test the route and roll back if it fails.`,
      context,
      dashboard: 'deploy',
    }),
    alert('CascadeDeployErrorRatio', {
      expr: promql`
        ${S.errorRatioByRoute} > ${route} ${S.predeployErrorRatio} * ${num(d.errorRatioFactor)}
        and ${route} ${S.errorRatioByRoute} - ${route} ${S.predeployErrorRatio} > ${num(d.errorRatioMinIncrease)}
        and ${route} ${S.requestsByRoute} > ${num(c.traffic.lowTrafficFloor)}
        and ${inWindow}`,
      for: d.for,
      by: ['service', 'route'],
      needs: ['traffic', 'lastDeploy'],
      summary: 'A route fails more often since the last deploy.',
      description: (x) =>
        `Route ${x.label('route')} of ${x.label('service')} fails ${x.value('percent')} of requests against ` +
        `${x.context('predeploy', 'percent')} before the deploy ${x.context('age', 'duration')} ago. Roll back first, investigate after.`,
      context: { predeploy: m(S.predeployErrorRatio), age: context.age },
      dashboard: 'deploy',
    }),
  ];
}

export function sloAlerts(c: CascadeConfig): AlertRule[] {
  const budget = 1 - c.slo.target;
  const floor = `${on(c, 'service')} ${S.requests} > ${num(c.traffic.lowTrafficFloor)}`;
  const burn = (window: string) => {
    const series = errorRatioOver(window);
    const read = (SLO_SLOW_WINDOWS as readonly string[]).includes(window) ? slow(series, c) : series;
    return `${read} / ${num(budget)}`;
  };
  const tier = (long: string, short: string, factor: number) =>
    `${burn(long)} > ${num(factor)} and ${on(c, 'service')} ${burn(short)} > ${num(factor)}`;
  const percent = `${num(c.slo.target * 100)}%`;
  return [
    alert('CascadeErrorBudgetBurnFast', {
      expr: promql`
        (
          ${tier('1h', '5m', 14.4)}
          or
          ${tier('6h', '30m', 6)}
        )
        and ${floor}`,
      for: c.slo.fastFor,
      by: ['service'],
      needs: ['traffic'],
      summary: 'The error budget is burning fast.',
      description: (x) =>
        `${x.label('service')} is spending its error budget ${x.value('factor')}x as fast as a ${percent} SLO allows ` +
        `(errors: ${x.context('ratio5m', 'percent')} over 5m, ${x.context('ratio1h', 'percent')} over 1h). At this pace a month's budget lasts days.`,
      context: { ratio5m: m(errorRatioOver('5m')), ratio1h: m(errorRatioOver('1h')) },
    }),
    alert('CascadeErrorBudgetBurnSlow', {
      expr: promql`
        (
          ${tier('1d', '2h', 3)}
          or
          ${tier('3d', '6h', 1)}
        )
        and ${floor}`,
      for: c.slo.slowFor,
      by: ['service'],
      needs: ['traffic'],
      summary: 'The error budget is burning steadily.',
      description: (x) =>
        `${x.label('service')} is spending its error budget ${x.value('factor')}x as fast as a ${percent} SLO allows ` +
        `(errors: ${x.context('ratio2h', 'percent')} over 2h, ${x.context('ratio1d', 'percent')} over 1d).`,
      context: { ratio2h: m(errorRatioOver('2h')), ratio1d: m(errorRatioOver('1d')) },
    }),
  ];
}
