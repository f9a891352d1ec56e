/**
 * The scenario file format, validated with zod. Times stay strings here (they need the anchor to resolve); see
 * load.ts for resolution and for error messages that name the file, the field and what was expected.
 */
import { z } from 'zod';
import { ROUTES } from '../model/params';
import { parseDuration, parseIso, TIME_SPEC_EXAMPLES } from './time';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const share = z.number().min(0).max(1);
const label = z.string().regex(/^[a-zA-Z0-9_.:-]+$/, 'expected a label value of letters, digits, _ . : -');

/** A time spec: checked for form here, resolved against the anchor in load.ts. */
const timeSpec = z.string({ error: `expected a time such as ${TIME_SPEC_EXAMPLES}` });
/**
 * What the model can run: it steps every 5 s and lays repeating events out over months, so a period or duration
 * far below that (`every: 0.001s`) would mean billions of events or steps. Each is bounded, and the error says so.
 */
export const LIMITS = {
  /** `every`: at most one occurrence an hour (2,200 over the live simulator's 90 days of repeats). */
  period: { min: 3600, max: 366 * 86_400, examples: '"1d" or "7d"' },
  /** A batch's `for`: at least one model step. */
  span: { min: 5, max: 30 * 86_400, examples: '"90s", "15m" or "1h30m"' },
  /** Ramps, falls and blips, in minutes: one model step to 30 days. */
  minutes: { min: 5 / 60, max: 30 * 1440 },
  /** Health-check interval: more often than a second would mean thousands of checks per model step. */
  healthCheckSeconds: { min: 1, max: 3600 },
};

function boundedDuration({ min, max, examples }: { min: number; max: number; examples: string }) {
  const range = `from ${formatSeconds(min)} to ${formatSeconds(max)}`;
  return z.string().refine(
    (s) => {
      const d = parseDuration(s);
      return d !== undefined && d >= min && d <= max;
    },
    {
      error: (iss) => `expected a duration ${range}, such as ${examples}, got ${JSON.stringify(iss.input)}`,
    }
  );
}

function formatSeconds(s: number): string {
  return s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : `${s}s`;
}

const duration = boundedDuration(LIMITS.span);
const minutes = z
  .number()
  .min(LIMITS.minutes.min, `expected at least ${LIMITS.minutes.min.toFixed(4)} minutes (5 s, one model step)`)
  .max(LIMITS.minutes.max, `expected at most ${LIMITS.minutes.max} minutes (30 days)`);
const isoTime = z.string().refine((s) => parseIso(s) !== undefined, {
  error: (iss) => `expected an ISO UTC time such as "2020-02-04T00:00:00Z", got ${JSON.stringify(iss.input)}`,
});
const routeName = z.enum(ROUTES, { error: `expected one of ${ROUTES.join(', ')}` });

const routeParams = z
  .strictObject({
    baseRate: nonNegative,
    successCode: z.string().regex(/^[1-5]\d\d$/, 'expected an HTTP code such as "200"'),
    writeCost: nonNegative,
    readCost: nonNegative,
    baseLatencySeconds: positive,
    dbRoundTrips: nonNegative,
  })
  .partial();

export const serviceParamsSchema = z
  .strictObject({
    service: label,
    cluster: label,
    routes: z.strictObject({ download: routeParams, api: routeParams, upload: routeParams }).partial(),
    traffic: z
      .strictObject({
        dailyAmplitude: z.number().min(0).max(0.9),
        peakHourUtc: z.number().min(0).max(24),
        weekendFactor: positive,
        growthPerWeek: z.number().min(-0.5).max(1),
        noise: z.number().min(0).max(0.3),
        jitter: z.number().min(0).max(0.3),
        baseSources: nonNegative,
        errorTrickle: share,
      })
      .partial(),
    clients: z.strictObject({ retryAttempts: z.number().int().min(1).max(20), retryShare: share }).partial(),
    database: z
      .strictObject({
        primaryCapacity: positive,
        replicaCapacity: positive,
        replicas: z.number().int().min(0).max(20),
        workerThroughput: positive,
        workerLatencySeconds: nonNegative,
        primaryWorkPerWrite: positive,
        replayCost: positive,
        workerReadCost: nonNegative,
        queueScanCost: nonNegative,
        replayHeadroom: z.number().min(0.1).max(100),
        primaryReadShare: share,
        readFallbackLagSeconds: positive,
        readFallbackMaxShare: share,
        contention: z.number().min(0).max(20),
        contentionHalfBacklog: positive,
        readLatencySeconds: positive,
        staleReadWait: nonNegative,
        baseLagSeconds: nonNegative,
        replicaProvisionSeconds: nonNegative,
        provisionSpeedWhenSaturated: z.number().min(0.01).max(1),
      })
      .partial(),
    instances: z
      .strictObject({
        desired: z.number().int().min(0).max(1000),
        capacityPerInstance: positive,
        bootSeconds: positive,
        healthCheckIntervalSeconds: z.number().min(LIMITS.healthCheckSeconds.min).max(LIMITS.healthCheckSeconds.max),
        unhealthyThreshold: z.number().int().min(1),
        healthCheckTimeoutSeconds: positive,
        healthCheckMaxLagSeconds: positive,
        bootChecks: z.number().int().min(1).max(100),
        startTimeoutSeconds: positive,
        sensitivitySpread: z.number().min(0).max(0.9),
        drainSeconds: nonNegative,
        bootstrapFromZero: z.boolean(),
      })
      .partial(),
    latency: z
      .strictObject({
        gatewayTimeoutSeconds: positive,
        buckets: z
          .array(positive)
          .min(1)
          .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]), 'expected bucket bounds in increasing order'),
      })
      .partial(),
    release: z.strictObject({ version: label, deployedAt: timeSpec }).partial(),
  })
  .partial();

const common = {
  at: timeSpec,
  /** Repeat every this long, before and after `at` (a nightly job, a weekly deploy). */
  every: boundedDuration(LIMITS.period).optional(),
  note: z.string().optional(),
};

const surgeMultiple = z.number().min(-1, 'expected a multiple of at least -1 (all of the route\'s traffic gone)');

const surge = z.strictObject({
  type: z.literal('surge'),
  ...common,
  until: timeSpec.optional(),
  /** Extra traffic as a multiple of each route's base rate; from -1 to 0, the share of its traffic that goes away. */
  routes: z
    .strictObject({ download: surgeMultiple, api: surgeMultiple, upload: surgeMultiple })
    .partial()
    .refine((r) => Object.keys(r).length > 0, 'expected at least one route with its extra traffic multiple'),
  rampMinutes: minutes.default(30),
  fallMinutes: minutes.default(0.5),
  sourcesMultiplier: z.number().min(1).default(1),
  writeCostMultiplier: nonNegative.default(1),
  readCostMultiplier: nonNegative.default(1),
});

const deploy = z.strictObject({
  type: z.literal('deploy'),
  ...common,
  /** In a repeating deploy, "{date}" becomes the occurrence's UTC date (2024.03.06) and "{n}" its number. */
  version: label.or(z.string().regex(/^[a-zA-Z0-9_.:{}-]+$/)),
  breaks: z.strictObject({ route: routeName, failureShare: share.default(1) }).optional(),
  blip: z.strictObject({ percent: z.number().min(0).max(100), minutes }).optional(),
  effects: z
    .strictObject({
      writeCostFactor: nonNegative,
      readCostFactor: nonNegative,
      primaryCapacityFactor: positive,
      writeWorkFactor: positive,
      fixBootstrap: z.boolean(),
      restartBoots: z.boolean(),
    })
    .partial()
    .default({}),
  rampMinutes: z
    .number()
    .refine((v) => v === 0 || (v >= LIMITS.minutes.min && v <= LIMITS.minutes.max), {
      error: `expected 0 (at once) or ${LIMITS.minutes.min.toFixed(4)} to ${LIMITS.minutes.max} minutes`,
    })
    .default(0),
});

const addReplicas = z.strictObject({
  type: z.literal('add-replicas'),
  ...common,
  count: z.number().int().min(1).max(10),
});
const scale = z.strictObject({ type: z.literal('scale'), ...common, desired: z.number().int().min(0).max(1000) });
const batch = z.strictObject({ type: z.literal('batch'), ...common, for: duration, writeRate: positive });
const restart = z.strictObject({ type: z.literal('restart'), ...common });

export const EVENT_TYPES = ['surge', 'deploy', 'add-replicas', 'scale', 'batch', 'restart'] as const;

export const eventSchema = z.discriminatedUnion('type', [surge, deploy, addReplicas, scale, batch, restart], {
  error: (iss) =>
    iss.code === 'invalid_union' ? `expected an event with type one of ${EVENT_TYPES.join(', ')}` : undefined,
});

export const scenarioFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case name of letters, digits, ., _ and -')
    .optional(),
  description: z.string().min(1, 'expected a one-line description'),
  anchor: isoTime,
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  window: z.strictObject({ from: timeSpec, to: timeSpec }).optional(),
  service: serviceParamsSchema.default({}),
  events: z.array(eventSchema).default([]),
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type ScenarioFileEvent = z.output<typeof eventSchema>;
