import fc from 'fast-check';
import { FieldType } from '@grafana/data';
import { DEFAULT_ROLES } from '../defaults';

/** Names the panel will match (so random frames reach every lane) and names it will not. */
const NAMES = [
  ...Object.values(DEFAULT_ROLES).flatMap((m) => m.split(',').map((n) => n.trim())),
  'node_load1',
  'Value',
  '',
  '__proto__',
  'constructor',
];

/**
 * Legends a backtracking regex chokes on (a run of "a" that ends in something else: `/(a+)+$/` takes most of a
 * second on 25 characters), and names longer than any legend should be.
 */
const HOSTILE_NAMES = [
  `${'a'.repeat(24)}!`,
  `${'a'.repeat(17)}!`,
  `db_replication_lag_seconds{instance="${'x'.repeat(300)}"}`,
];

/** Any name: the panel's own, hostile ones, long generated ones (up to 2,000 characters), generated ones. */
const anyName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  fc.string({ minLength: 200, maxLength: 2000 }),
  fc.string({ maxLength: 12 })
);

/** Role matchers as people type them, including ones whose cost cannot be bounded. */
export const PATHOLOGICAL_MATCHERS = [
  '/(a+)+$/',
  '/(a|aa)+$/',
  '/(.*)*x/',
  '/(\\w+)\\1/',
  '/a*a*a*a*b/',
  `/${'a?'.repeat(40)}${'a'.repeat(40)}/`,
  `/${'x'.repeat(300)}/`,
];

const roleMatcher = fc.oneof(
  fc.constantFrom('/(/', '/.*/', 'Value', '', '/^db_.*lag/i', 'traffic, /^cascade:.*rate5m$/'),
  fc.constantFrom(...PATHOLOGICAL_MATCHERS)
);

/** Anything a misbehaving data source might put in a value column. */
export const rawValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(NaN),
  fc.constant(Infinity),
  fc.constant(-Infinity),
  fc.constant(1e308),
  fc.constant('12.5'),
  fc.constant('NaN'),
  fc.string({ maxLength: 4 }),
  fc.boolean()
);

/** Timestamps: mostly ordered, sometimes shuffled, duplicated, missing or not times at all. */
export const rawTimes = (length: number) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .integer({ min: 1_500_000_000_000, max: 1_800_000_000_000 })
        .map((t0) => Array.from({ length }, (_, i) => t0 + i * 15_000)),
    },
    fc.array(
      fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.constant(null), fc.constant('not a time'), fc.constant(NaN)),
      { minLength: length, maxLength: length }
    ),
    fc
      .integer({ min: 1_500_000_000_000, max: 1_800_000_000_000 })
      .map((t0) => Array.from({ length }, (_, i) => t0 + Math.floor(i / 2) * 15_000))
  );

const labels = fc.dictionary(
  fc.constantFrom('service', 'instance', 'role', 'cluster', 'route', '__name__', '__proto__', 'constructor'),
  fc.oneof(fc.constantFrom('db-primary', 'primary', 'replica'), anyName),
  { maxKeys: 4 }
);

const field = (length: number) =>
  fc.record({
    name: anyName,
    type: fc.constantFrom(FieldType.number, FieldType.number, FieldType.string, FieldType.boolean, FieldType.other),
    config: fc.oneof(
      fc.constant({}),
      fc.record(
        { unit: fc.constantFrom('reqps', 's', 'percent', 'short', ''), displayNameFromDS: anyName },
        { requiredKeys: [] }
      )
    ),
    labels: fc.option(labels, { nil: undefined }),
    values: fc.array(rawValue, { minLength: length, maxLength: length }),
  });

/** A data frame that may be missing its time field, have fields of different lengths, or be nearly empty. */
export const messyFrame = fc.integer({ min: 0, max: 60 }).chain((length) =>
  fc
    .record({
      refId: fc.constantFrom('A', 'traffic', 'backlog', 'healthy', 'lag', ''),
      name: fc.option(anyName, { nil: undefined }),
      length: fc.constant(length),
      // Most frames have a time field; everything random comes from fast-check, so a failure replays from its seed.
      hasTime: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
      times: rawTimes(length),
      fields: fc.array(field(length), { minLength: 0, maxLength: 3 }),
    })
    .map(({ refId, name, length: n, hasTime, times, fields }) => ({
      refId,
      name,
      length: n,
      fields: [...(hasTime ? [{ name: 'Time', type: FieldType.time, config: {}, values: times }] : []), ...fields],
    }))
);

/** What arrives as `data.series`: usually a list of frames, sometimes garbage. */
export const messySeries = fc.oneof(
  { weight: 8, arbitrary: fc.array(messyFrame, { maxLength: 12 }) },
  fc.constant(undefined),
  fc.constant(null),
  fc.constant('frames'),
  fc.array(fc.oneof(fc.constant(null), fc.integer(), fc.record({ fields: fc.constant(null) })), { maxLength: 3 })
);

/** Panel options as they might be saved: partial, mistyped, nonsense. */
export const messyOptions = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record(
    {
      traffic: fc.record(
        {
          bandMode: fc.constantFrom('auto', 'query', 'computed', 'off', 'bogus'),
          bandWidth: fc.oneof(fc.double(), fc.string()),
        },
        { requiredKeys: [] }
      ),
      database: fc.record(
        {
          backlogLimit: fc.oneof(fc.double(), fc.constant('100'), fc.constant(null)),
          forecastFitMinutes: fc.oneof(fc.double({ min: 0, max: 1e4 }), fc.constant(0)),
        },
        { requiredKeys: [] }
      ),
      roles: fc.oneof(
        fc.constant('x'),
        fc.record({ traffic: roleMatcher, lag: roleMatcher, healthy: roleMatcher }, { requiredKeys: [] }),
        fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'traffic'), roleMatcher, { maxKeys: 2 })
      ),
      display: fc.record({ showTraffic: fc.boolean(), showForecastZone: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] }
  )
);
