/**
 * The generator's configuration: what every input signal is called, the thresholds, windows and
 * grouping labels the rules use, and where runbooks, dashboards and Grafana live.
 *
 * The defaults live here, in code, next to the schema that validates them: one source of truth
 * that the type checker sees, that `cascade-rules --print-config` writes out as YAML for users to
 * start from, and that renders the checked-in rule files.
 */
import { z } from 'zod';

import { seconds } from '../alerts/promql';
import { SIGNALS, type SignalKey } from '../contract/signals';
import { CASCADE_STAGES, THRESHOLDS } from './definitions';
import { DEFAULT_DASHBOARDS, dashboardsSchema } from './dashboards';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A Prometheus duration as rule files accept it: 30s, 5m, 1h30m, 1w. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
/** Extra label matchers for a selector: `job="api", env!~"dev|test"` (no braces). */
const MATCHERS = /^\s*([a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*(,\s*|$))*$/;

export const duration = z
  .string({ error: 'expected a Prometheus duration such as 5m or 1h30m' })
  .regex(DURATION, 'expected a Prometheus duration such as 5m or 1h30m');
const metricName = z
  .string({ error: 'expected a Prometheus metric name' })
  .regex(METRIC_NAME, 'expected a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
const labelName = z
  .string({ error: 'expected a Prometheus label name' })
  .regex(LABEL_NAME, 'expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
const matchers = z
  .string({ error: 'expected label matchers such as job="api", env!="dev"' })
  .regex(MATCHERS, 'expected label matchers such as job="api", env!="dev" (no braces)');
const positive = z.number({ error: 'expected a number' }).positive('expected a number above 0');
const nonNegative = z.number({ error: 'expected a number' }).nonnegative('expected a number of 0 or more');
const fraction = z
  .number({ error: 'expected a number' })
  .gt(0, 'expected a fraction above 0')
  .lt(1, 'expected a fraction below 1');
const url = z.string({ error: 'expected a URL' }).regex(/^https?:\/\/[^\s]+$/, 'expected an http(s) URL');

/** A DNS-1123 label: what Kubernetes accepts as a namespace (and, in the manifests, the start of every name). */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Label = (what: string) =>
  z
    .string({ error: `expected a ${what}` })
    .max(63, `expected a ${what} of at most 63 characters`)
    .regex(DNS_1123_LABEL, `expected a ${what}: lower-case letters, digits and -, starting and ending alphanumeric`);
/** Room is left for the `-<dashboard>` suffix of the ConfigMaps' names (each at most 63 characters). */
const k8sNamePrefix = z
  .string({ error: 'expected a name' })
  .max(30, 'expected a name of at most 30 characters')
  .regex(DNS_1123_LABEL, 'expected a name: lower-case letters, digits and -, starting and ending alphanumeric');
/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
const k8sLabelKey = z
  .string({ error: 'expected a Kubernetes label key' })
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'expected a Kubernetes label key such as release or example.com/team'
  )
  .refine((key) => !key.includes('/') || key.indexOf('/') <= 253, 'expected a key prefix of at most 253 characters');
const k8sLabelValue = z
  .string({ error: 'expected a Kubernetes label value (quote numbers: "1")' })
  .regex(
    /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/,
    'expected a Kubernetes label value: at most 63 letters, digits, -, _ and ., starting and ending alphanumeric'
  );
/** A map of labels; a bad key is reported by name (a record's own key check only says "Invalid key"). */
const k8sLabels = z.record(z.string(), k8sLabelValue).superRefine((labels, ctx) => {
  for (const key of Object.keys(labels)) {
    const checked = k8sLabelKey.safeParse(key);
    if (!checked.success) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}": ${checked.error.issues[0].message}` });
    }
  }
});

/**
 * Where one input signal comes from. `labels` maps each label of the contract onto the label
 * that carries it in the source metric (`service: deployment` for kube-state-metrics); the
 * rules rename them so everything downstream sees the contract's labels.
 */
const signalSource = z
  .object({
    enabled: z.boolean({ error: 'expected true or false' }),
    metric: metricName,
    matchers: matchers,
    labels: z.record(labelName, labelName),
  })
  .strict();

/** A gauge may instead be a whole PromQL expression that already yields the contract's labels. */
const gaugeSource = signalSource
  .extend({
    expr: z.string({ error: 'expected a PromQL expression' }).min(1, 'expected a PromQL expression').optional(),
  })
  .strict();

const deploySource = gaugeSource
  .extend({
    /**
     * `timestamp`: the metric is the Unix time of the last deploy (the contract's series).
     * `generation`: the metric is a counter-like generation that changes on each rollout
     * (kube-state-metrics); the pack derives the deploy time from its changes.
     */
    kind: z.enum(['timestamp', 'generation'], { error: 'expected "timestamp" or "generation"' }),
  })
  .strict();

export const configSchema = z
  .object({
    /** Runbook links point at `${runbookBaseUrl}/<AlertName>.md`. */
    runbookBaseUrl: url,
    /** Grafana's base URL for the dashboard links in annotations. */
    grafanaUrl: url,
    /** Prometheus data source uid the Grafana-managed rules query. */
    grafanaDatasourceUid: z
      .string({ error: 'expected a data source uid' })
      .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'expected a data source uid (letters, digits, - and _, at most 40)'),
    /** Folder (title) the Grafana-managed rules are provisioned into. */
    grafanaFolder: z.string({ error: 'expected a folder title' }).min(1, 'expected a folder title'),
    grafana: z
      .object({
        /** Grafana's states when the query returns nothing or fails (Prometheus semantics: OK / Error). */
        noDataState: z.enum(['Alerting', 'NoData', 'OK', 'KeepLast'], {
          error: 'expected one of Alerting, NoData, OK, KeepLast',
        }),
        execErrState: z.enum(['Alerting', 'Error', 'OK', 'KeepLast'], {
          error: 'expected one of Alerting, Error, OK, KeepLast',
        }),
        /** Where Grafana sends notifications: an Alertmanager that applies alertmanager.example.yml. */
        alertmanagerUrl: url,
      })
      .strict(),
    /** Labels kept in every aggregation next to service/cluster (e.g. [namespace] or [env]). */
    groupingLabels: z.array(labelName, { error: 'expected a list of label names' }),
    /** Evaluation interval of the fast groups and of the slow (seasonal, long-window) groups. */
    evaluationInterval: duration,
    /**
     * 1 for real use. Above 1, a time-compressed variant for end-to-end tests against a simulator playing that
     * many times faster than real time: every window, offset, `for` and interval under a day, and every
     * forecast horizon, is divided by it (seasonal offsets of days and weeks are left alone).
     */
    timeScale: z
      .number({ error: 'expected a number' })
      .min(1, 'expected 1 (real time) or more (a compressed test variant)')
      .max(600, 'expected at most 600'),
    slowEvaluationInterval: duration,
    signals: z
      .object({
        traffic: signalSource,
        trafficSources: gaugeSource,
        writeBacklog: gaugeSource,
        writesApplied: signalSource,
        dbUtilization: gaugeSource
          .extend({ primaryRole: z.string({ error: 'expected a role value' }).min(1) })
          .strict(),
        replicaLag: gaugeSource,
        healthyInstances: gaugeSource,
        desiredInstances: gaugeSource,
        lastDeploy: deploySource,
      })
      .strict(),
    traffic: z
      .object({
        /** HTTP status codes that count as errors (a regex on the code label). */
        errorCodes: z.string({ error: 'expected a regex such as 5..' }).min(1, 'expected a regex such as 5..'),
        /** Below this request rate (req/s) a service is too quiet for anomaly and SLO alerts. */
        lowTrafficFloor: nonNegative,
        baseline: z
          .object({
            /** Earlier weeks the seasonal baseline looks at (same time of week). */
            weeks: z
              .number()
              .int('expected a whole number of weeks')
              .min(1, 'expected 1 to 4')
              .max(4, 'expected 1 to 4'),
            /** Width of the window centred on the same time in each earlier week. */
            window: duration,
            /** Band half-width: this many standard deviations of the earlier weeks... */
            stddevMultiplier: positive,
            /** ...but at least this fraction of the baseline... */
            minBandRatio: fraction,
            /** ...and at least this many req/s. */
            minBandAbsolute: nonNegative,
            /**
             * Each earlier week is scaled by how traffic changed since (last day against the same
             * day then), clamped to [max^-weeks, max^weeks].
             */
            maxWeeklyGrowth: z.number().min(1, 'expected a factor of at least 1'),
          })
          .strict(),
        /**
         * Two tiers of patience, as the SLO burn alerts have two windows: outside the band for `for`, or far
         * outside it (above `deep.ratio` x the baseline) for the shorter `deep.for`.
         */
        anomalyHigh: z
          .object({
            for: duration,
            deep: z.object({ ratio: z.number().gt(1, 'expected a ratio above 1'), for: duration }).strict(),
            /** Keep firing this long once the rate is back inside the band: a peak hovering at its edge is one warning. */
            keepFiringFor: duration,
          })
          .strict(),
        /**
         * Below the band for `for`, or below `deep.ratio` x the baseline for `deep.for`: a deep drop gets the
         * speed a spike gets, a shallow one the patience. The deep ratio also applies to each route against its
         * own usual rate (its share of the service's traffic over the last day times the service's baseline),
         * so a route that loses most of its clients is seen even when the service's sum stays inside its band.
         * The deep tier's default patience is one minute, not the spike's two: its five-minute rate is already
         * a smoothed reading, and the second minute made drops miss their 10 minutes. Its default ratio is 0.65,
         * a third below the usual level: no generated benign day's 5-minute rate went below 0.76x (a counter
         * reset's dip), and 0.6 left drops with time constants of 6-10 minutes a minute or two past their 10.
         * (A 2-minute rate would show the depth sooner, but dips when counters reset: rate() loses what was
         * counted since the last scrape.)
         *
         * A drop that falls over 10 minutes or more is still shallow at 10 (a generated drop to 49 % with a
         * 12-minute time constant was at 0.77x then), so `falling` reads its direction: below `falling.ratio` x
         * the baseline after the 5-minute rate fell in every minute of `falling.for`, by `minPerMinute` to
         * `maxPerMinute`, the service or one route, waits only `deep.for`. A step's 5-minute rate falls for 5
         * minutes and then holds, so `falling.for` must be longer: a shallow step keeps its patience (a shallow
         * fall spread over a minute or more need not: its 5-minute rate can fall for 7). Benign days
         * dip to 0.76x at process restarts (rate() loses what was counted since the last scrape) for 5 minutes,
         * and an evening's decline can fall through them; such a dip takes a fifth off the rate in one minute,
         * which `maxPerMinute` refuses. Without it, one generated restart day fell 7 minutes to 0.79x.
         */
        anomalyLow: z
          .object({
            for: duration,
            deep: z.object({ ratio: fraction, for: duration }).strict(),
            falling: z
              .object({ ratio: fraction, for: duration, minPerMinute: fraction, maxPerMinute: fraction })
              .strict(),
            keepFiringFor: duration,
          })
          .strict(),
        surge: z
          .object({
            /** Rate over the last `shortWindow` against the `longWindow` before it. */
            longWindow: duration,
            /** Fires when the ratio exceeds this. */
            ratio: z.number().gt(1, 'expected a ratio above 1'),
            /**
             * ...or exceeds `ratioWithNewSources` while the number of distinct client networks rose
             * by `sourcesRatio` (the first report's surge came from many new places at once).
             */
            ratioWithNewSources: z.number().gt(1, 'expected a ratio above 1'),
            sourcesRatio: z.number().gt(1, 'expected a ratio above 1'),
            /**
             * A route surges too (its own rate over its own average, the same `ratio`) when its extra traffic is
             * at least this share of the service's: one endpoint hit by new clients shows before the sum does,
             * and a small route's noise does not.
             */
            routeMinShare: fraction,
            for: duration,
          })
          .strict(),
      })
      .strict(),
    deploy: z
      .object({
        /** How long after a deploy the deploy alerts watch. */
        window: duration,
        /**
         * A route's rise since the deploy (its rate over its pre-deploy rate) above this multiple of the rest of
         * the service's, so a daily ramp lifting every route is no jump (a route alone in its service: its own rise)...
         */
        trafficRatio: z.number().gt(1, 'expected a ratio above 1'),
        /** ...and at least this many req/s above it. */
        trafficMinIncrease: nonNegative,
        /** Route error ratio above this multiple of its pre-deploy ratio... */
        errorRatioFactor: z.number().gt(1, 'expected a factor above 1'),
        /** ...and at least this much above it (absolute, 0..1). */
        errorRatioMinIncrease: fraction,
        for: duration,
      })
      .strict(),
    backlog: z
      .object({
        /** Window of the backlog's linear trend. */
        trendWindow: duration,
        /** How far ahead the trend is projected. */
        horizon: duration,
        /** Fires when, at the projected backlog, draining at the current apply rate would take longer than this. */
        maxDrainTime: duration,
        /** Optional hard limit on the backlog (units of write work); null to rely on drain time only. */
        limit: positive.nullable(),
        /** The backlog must be at least this many seconds of apply work before anything fires. */
        minDrainTime: duration,
        for: duration,
        /**
         * A backlog held high rather than growing: the drain time has stayed above `factor` x its usual level (the
         * `usualQuantile` of the last `usualWindow`) throughout `for`. A database whose queue has needed several
         * times its usual wait for that long works near its ceiling, and the next rise in writes fills it. `for` is
         * longer than a routine batch (the generated worlds' last up to an hour), so a batch that drains is quiet.
         */
        elevated: z
          .object({
            factor: z.number().gt(1, 'expected a factor above 1'),
            usualWindow: duration,
            usualQuantile: fraction,
            for: duration,
            /** Keep firing this long once the condition lapses: a backlog hovering at the level is one warning. */
            keepFiringFor: duration,
          })
          .strict(),
      })
      .strict(),
    database: z
      .object({
        /** Utilisation counted as saturated. */
        saturation: fraction,
        /** Window of the utilisation trend, and how far ahead it is projected. */
        trendWindow: duration,
        horizon: duration,
        /** Below this utilisation no saturation forecast fires (a quiet node's trend is noise). */
        minUtilization: fraction,
        /**
         * The forecast needs a trend, not a step: the last 5 minutes must still climb at least this
         * fraction as fast as the whole trend window (a batch job switching on is a step).
         */
        minTrendConsistency: fraction,
        imminentFor: duration,
        /** The primary is saturated when it has been at `saturation` throughout this window... */
        saturatedFor: duration,
        /** ...and at least this much write work waits behind it (if the backlog signals are enabled). */
        saturatedMinDrainTime: duration,
      })
      .strict(),
    replicas: z
      .object({
        /** Lag (s) that counts as "behind" for the growing alert, and the critical lag. */
        lagWarning: positive,
        lagCritical: positive,
        /** Window of the lag trend and the growth (s of lag per s) that counts as climbing. */
        trendWindow: duration,
        minGrowth: positive,
        growingFor: duration,
        highFor: duration,
      })
      .strict(),
    instances: z
      .object({
        lowRatio: fraction,
        criticalRatio: fraction,
        lowFor: duration,
        criticalFor: duration,
        noneFor: duration,
        /** Churn: at least `churnDrops` drops and as many recoveries of the healthy count within the window. */
        churnWindow: duration,
        churnDrops: z.number().int('expected a whole number').min(2, 'expected at least 2'),
        churnFor: duration,
      })
      .strict(),
    cascade: z
      .object({
        /** Stages (traffic, backlog, replicas, instances) that must be active at once. */
        minStages: z
          .number()
          .int()
          .min(2, `expected 2 to ${CASCADE_STAGES.length}`)
          .max(CASCADE_STAGES.length, `expected 2 to ${CASCADE_STAGES.length}`),
        /**
         * At least one of these stages must be among the active ones. The database's own stages together
         * (backlog and replicas, traffic ordinary, instances healthy) are what a heavy batch looks like; a
         * database that is really in trouble pages on its own (CascadeDatabaseSaturated, CascadeReplicaLagHigh).
         * Empty: any stages count.
         */
        requireOneOf: z.array(z.enum(CASCADE_STAGES, { error: `expected one of ${CASCADE_STAGES.join(', ')}` }), {
          error: 'expected a list of stages',
        }),
        for: duration,
        /** Once paging, keep firing this long when a stage goes quiet (stages hand over: forecast, then saturation). */
        keepFiringFor: duration,
      })
      .strict(),
    slo: z
      .object({
        /** Availability objective over 30 days (0.999 = 99.9% of requests without a server error). */
        target: fraction,
        fastFor: duration,
        slowFor: duration,
      })
      .strict(),
    /**
     * Which database cluster each service writes to, so that database alerts reach the teams of the
     * services that use the cluster (one alert per service) and `cascade:service_cluster:info{service, cluster}`
     * tells the dashboards. Entries of `services` and the series of `metric` are combined. Left empty (the
     * default), every service is taken to write to the one cluster there is; with several clusters and no
     * topology, database alerts carry `cluster` alone and go to Alertmanager's default route: fleets set it.
     */
    topology: z
      .object({
        /** A static list: `- { service: registry, cluster: main }`, one entry per service and cluster it writes to. */
        services: z.array(
          z
            .object({
              service: z.string({ error: 'expected a service name' }).min(1, 'expected a service name'),
              cluster: z.string({ error: 'expected a cluster name' }).min(1, 'expected a cluster name'),
            })
            .strict(),
          { error: 'expected a list of { service, cluster }' }
        ),
        /**
         * Or an info metric you already have that carries both labels (e.g. from a service catalogue
         * exporter): `labels` maps `service` and `cluster` onto its label names. null: none.
         */
        metric: z
          .object({
            metric: metricName,
            matchers: matchers,
            labels: z.object({ service: labelName, cluster: labelName }).strict(),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    /** The provisioned dashboards: uids, titles, tags, refresh (config/dashboards.ts). */
    dashboards: dashboardsSchema,
    signalMissing: z
      .object({
        /** A signal (or one owner's series) gone for this long fires CascadeSignalMissing. */
        after: duration,
        /** An owner (service, cluster, replica) whose series existed this long ago and are now gone counts as missing too. */
        lookback: duration,
      })
      .strict(),
    /**
     * Kubernetes manifests (`kubernetes/`): the PrometheusRule the prometheus-operator loads and the dashboards as
     * ConfigMaps for Grafana's dashboard sidecar (kube-prometheus-stack's defaults below).
     */
    kubernetes: z
      .object({
        /** Namespace of the PrometheusRule and the ConfigMaps (the sidecar of kube-prometheus-stack searches all). */
        namespace: dns1123Label('namespace'),
        /** metadata.name of the PrometheusRule, and the prefix of each dashboard ConfigMap's name. */
        name: k8sNamePrefix,
        /**
         * Labels on the PrometheusRule: they must match the Prometheus object's `ruleSelector`. kube-prometheus-stack
         * selects `release: <its Helm release name>`: set yours (`helm list -A` shows it).
         */
        ruleLabels: k8sLabels,
        /** The label the Grafana sidecar looks for on dashboard ConfigMaps (`sidecar.dashboards.label` / `labelValue`). */
        dashboardLabel: z.object({ name: k8sLabelKey, value: k8sLabelValue }).strict(),
        /**
         * The annotation that puts the dashboards in a Grafana folder when the sidecar sets `folderAnnotation` to
         * `annotation` and `provider.foldersFromFilesStructure: true`; null for none.
         */
        dashboardFolder: z
          .object({
            annotation: k8sLabelKey,
            folder: z
              .string({ error: 'expected a folder name' })
              .regex(/^[^/\\]+$/, 'expected a folder name (no slashes)')
              .refine((v) => v !== '.' && v !== '..', 'expected a folder name, not . or ..'),
          })
          .strict()
          .nullable(),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Each signal must say where every label of the contract comes from, and nothing else.
    for (const [key, signal] of Object.entries(config.signals) as Array<[SignalKey, SignalSourceConfig]>) {
      if (signal.expr !== undefined) {
        continue;
      }
      const required = Object.keys(requiredLabels(key));
      const given = Object.keys(signal.labels);
      for (const label of required.filter((l) => !given.includes(l))) {
        ctx.addIssue({
          code: 'custom',
          path: ['signals', key, 'labels', label],
          message: `missing: name the source label that carries the contract's "${label}" label`,
        });
      }
      for (const label of given.filter((l) => !required.includes(l))) {
        ctx.addIssue({
          code: 'custom',
          path: ['signals', key, 'labels', label],
          message: `unknown contract label; expected one of ${required.join(', ')}`,
        });
      }
    }
    if (config.instances.criticalRatio >= config.instances.lowRatio) {
      ctx.addIssue({
        code: 'custom',
        path: ['instances', 'criticalRatio'],
        message: `expected a ratio below instances.lowRatio (${config.instances.lowRatio})`,
      });
    }
    if (config.traffic.surge.ratioWithNewSources > config.traffic.surge.ratio) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'surge', 'ratioWithNewSources'],
        message: `expected a ratio no higher than traffic.surge.ratio (${config.traffic.surge.ratio})`,
      });
    }
    for (const side of ['anomalyHigh', 'anomalyLow'] as const) {
      const tier = config.traffic[side];
      if (seconds(tier.deep.for) > seconds(tier.for)) {
        ctx.addIssue({
          code: 'custom',
          path: ['traffic', side, 'deep', 'for'],
          message: `expected a duration no longer than traffic.${side}.for (${tier.for}): a deep deviation is the faster tier`,
        });
      }
    }
    const falling = config.traffic.anomalyLow.falling;
    if (falling.ratio <= config.traffic.anomalyLow.deep.ratio) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'anomalyLow', 'falling', 'ratio'],
        message: `expected a ratio above traffic.anomalyLow.deep.ratio (${config.traffic.anomalyLow.deep.ratio}): the falling tier reads a drop before it is deep`,
      });
    }
    if (falling.maxPerMinute <= falling.minPerMinute) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'anomalyLow', 'falling', 'maxPerMinute'],
        message: `expected a fraction above traffic.anomalyLow.falling.minPerMinute (${falling.minPerMinute})`,
      });
    }
    if (seconds(falling.for) <= 300) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'anomalyLow', 'falling', 'for'],
        message:
          "expected a duration longer than 5m: a step's 5-minute rate falls for 5 minutes, a drop in progress for longer",
      });
    }
    if (config.replicas.lagCritical <= config.replicas.lagWarning) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas', 'lagCritical'],
        message: `expected a lag above replicas.lagWarning (${config.replicas.lagWarning})`,
      });
    }
  });

export type CascadeConfig = z.infer<typeof configSchema>;
export type SignalConfig = CascadeConfig['signals'];
/** The contract's signals the pack reads (all but the optional latency histogram). */
export type InputSignal = keyof SignalConfig;
export type SignalSourceConfig = z.infer<typeof signalSource> & { expr?: string };

/**
 * The contract labels the rules read from each signal, name for name (the default mapping).
 * A histogram's `le` and the deploy's informational `version` are not needed.
 */
export function requiredLabels(key: SignalKey): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const label of SIGNALS[key].labels) {
    if (label !== 'le' && !(key === 'lastDeploy' && label === 'version')) {
      labels[label] = label;
    }
  }
  return labels;
}

function source(key: SignalKey) {
  return { enabled: true, metric: SIGNALS[key].name, matchers: '', labels: requiredLabels(key) };
}

export const DEFAULT_CONFIG: CascadeConfig = {
  runbookBaseUrl: 'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks',
  grafanaUrl: 'http://127.0.0.1:3000',
  grafanaDatasourceUid: 'prometheus',
  grafanaFolder: 'Cascade Watch',
  grafana: { noDataState: 'OK', execErrState: 'Error', alertmanagerUrl: 'http://127.0.0.1:9093' },
  groupingLabels: [],
  evaluationInterval: '1m',
  timeScale: 1,
  slowEvaluationInterval: '5m',
  signals: {
    traffic: source('traffic'),
    trafficSources: source('trafficSources'),
    writeBacklog: source('writeBacklog'),
    writesApplied: source('writesApplied'),
    dbUtilization: { ...source('dbUtilization'), primaryRole: 'primary' },
    replicaLag: source('replicaLag'),
    healthyInstances: source('healthyInstances'),
    desiredInstances: source('desiredInstances'),
    lastDeploy: { ...source('lastDeploy'), kind: 'timestamp' },
  },
  traffic: {
    errorCodes: '5..',
    lowTrafficFloor: 1,
    baseline: {
      weeks: 3,
      window: '30m',
      stddevMultiplier: 3,
      minBandRatio: 0.25,
      minBandAbsolute: 1,
      maxWeeklyGrowth: 1.25,
    },
    anomalyHigh: { for: '5m', deep: { ratio: 2, for: '2m' }, keepFiringFor: '10m' },
    // A deep drop waits as long as a surge (surge.for), a shallow one the band's patience.
    anomalyLow: {
      for: '15m',
      deep: { ratio: 0.65, for: '1m' },
      falling: { ratio: 0.8, for: '7m', minPerMinute: 0.005, maxPerMinute: 0.1 },
      keepFiringFor: '10m',
    },
    surge: {
      longWindow: '30m',
      ratio: 1.5,
      ratioWithNewSources: 1.2,
      sourcesRatio: 3,
      routeMinShare: 0.03,
      for: '2m',
    },
  },
  deploy: {
    window: '30m',
    trafficRatio: 1.3,
    trafficMinIncrease: 0.5,
    errorRatioFactor: 3,
    errorRatioMinIncrease: 0.02,
    for: '1m',
  },
  backlog: {
    trendWindow: '10m',
    horizon: '30m',
    maxDrainTime: '5m',
    limit: THRESHOLDS.backlogLimit,
    minDrainTime: '30s',
    for: '3m',
    elevated: { factor: 3, usualWindow: '1w', usualQuantile: 0.95, for: '1h', keepFiringFor: '15m' },
  },
  database: {
    saturation: THRESHOLDS.databaseSaturation,
    trendWindow: '15m',
    horizon: '30m',
    minUtilization: 0.5,
    minTrendConsistency: 0.5,
    imminentFor: '10m',
    saturatedFor: '10m',
    saturatedMinDrainTime: '10s',
  },
  replicas: {
    lagWarning: THRESHOLDS.replicaLagWarningSeconds,
    lagCritical: THRESHOLDS.replicaLagCriticalSeconds,
    trendWindow: '10m',
    minGrowth: 0.05,
    growingFor: '5m',
    highFor: '5m',
  },
  instances: {
    lowRatio: THRESHOLDS.instancesLowFraction,
    criticalRatio: THRESHOLDS.instancesCriticalFraction,
    lowFor: '10m',
    criticalFor: '3m',
    noneFor: '1m',
    churnWindow: '15m',
    churnDrops: 3,
    churnFor: '5m',
  },
  cascade: { minStages: 2, requireOneOf: ['traffic', 'instances'], for: '2m', keepFiringFor: '15m' },
  slo: { target: 0.999, fastFor: '2m', slowFor: '15m' },
  dashboards: DEFAULT_DASHBOARDS,
  signalMissing: { after: '10m', lookback: '1h' },
  topology: { services: [], metric: null },
  kubernetes: {
    namespace: 'monitoring',
    name: 'cascade-watch',
    // kube-prometheus-stack's Prometheus selects PrometheusRules labelled with its Helm release name: set yours.
    ruleLabels: { release: 'kube-prometheus-stack' },
    dashboardLabel: { name: 'grafana_dashboard', value: '1' },
    dashboardFolder: { annotation: 'grafana_folder', folder: 'Cascade Watch' },
  },
};
