/**
 * Time specs in scenario files and on the command line, all resolved against a scenario's anchor (a UTC day):
 *   "21:02" or "21:02:30"      that time on the anchor day
 *   "+1d 02:01"                a time on a day relative to the anchor day
 *   "+45m", "-3h", "+1d2h30m"  an offset from the anchor ("anchor+26h" and "anchor-21d" too)
 *   "2020-02-04T21:02:00Z"     an absolute ISO time (with Z or an offset)
 */

export const TIME_SPEC_EXAMPLES =
  '"21:02", "+1d 02:01", "+45m", "anchor-21d" or an ISO time such as "2020-02-04T21:02:00Z"';

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3600, m: 60, s: 1 };
const DURATION = /^(?:\d+(?:\.\d+)?[wdhms])+$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY_AND_CLOCK = /^([+-])(\d+)d\s+(\d{1,2}:\d{2}(?::\d{2})?)$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** "90s", "15m", "1h30m", "3w" to seconds; undefined if it is not a duration. */
export function parseDuration(spec: string): number | undefined {
  const s = spec.trim();
  if (!DURATION.test(s)) {
    return undefined;
  }
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)([wdhms])/g)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return total;
}

function parseClock(spec: string): number | undefined {
  const m = CLOCK.exec(spec);
  if (!m) {
    return undefined;
  }
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) {
    return undefined;
  }
  return h * 3600 + min * 60 + sec;
}

/** Parse an ISO time with a zone to Unix seconds; undefined otherwise. */
export function parseIso(spec: string): number | undefined {
  if (!ISO.test(spec)) {
    return undefined;
  }
  const ms = Date.parse(spec);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** Resolve a time spec against the anchor (Unix seconds); undefined if the spec is not one. */
export function parseTimeSpec(spec: string, anchor: number): number | undefined {
  let s = spec.trim();
  if (s.startsWith('anchor')) {
    s = s.slice('anchor'.length).trim();
    if (s === '') {
      return anchor;
    }
    if (!s.startsWith('+') && !s.startsWith('-')) {
      return undefined;
    }
  }
  const clock = parseClock(s);
  if (clock !== undefined) {
    return startOfUtcDay(anchor) + clock;
  }
  const dayClock = DAY_AND_CLOCK.exec(s);
  if (dayClock) {
    const sign = dayClock[1] === '-' ? -1 : 1;
    const clockOfDay = parseClock(dayClock[3]);
    return clockOfDay === undefined
      ? undefined
      : startOfUtcDay(anchor) + sign * Number(dayClock[2]) * 86_400 + clockOfDay;
  }
  if (s.startsWith('+') || s.startsWith('-')) {
    const d = parseDuration(s.slice(1));
    return d === undefined ? undefined : anchor + (s[0] === '-' ? -d : d);
  }
  return parseIso(s);
}

export function startOfUtcDay(t: number): number {
  return Math.floor(t / 86_400) * 86_400;
}

/** Unix seconds to "2020-02-04T21:02:00Z" (whole seconds, no milliseconds). */
export function toIso(t: number): string {
  return new Date(Math.round(t) * 1000).toISOString().replace('.000Z', 'Z');
}
