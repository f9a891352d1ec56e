/**
 * Ordinary traffic's shape over time: a daily curve, a quieter weekend, organic growth. Pure functions of Unix
 * time (UTC); noise is added by the caller.
 */

/**
 * Jest runs tests in a vm context whose global object answers through an interceptor: every lookup of `Math` there
 * costs as much as the arithmetic around it. The per-step code keeps its own reference.
 */
const math = Math;

export interface SeasonalityParams {
  /** Relative swing of the daily curve around its mean (0.35: the peak is 1.35x the mean). */
  dailyAmplitude: number;
  /** Hour (UTC, may be fractional) of the daily peak. */
  peakHourUtc: number;
  /** Weekend traffic relative to weekdays (0.7: 30 % quieter). */
  weekendFactor: number;
  /** Organic growth per week as a fraction (0.01: 1 % a week), compounding from the anchor to the window's end. */
  growthPerWeek: number;
}

const DAY = 86_400;
const WEEK = 7 * DAY;
/** Hours either side of midnight over which a weekday blends into a weekend day (no step at midnight). */
const WEEKEND_BLEND_HOURS = 3;

/** Day of the week for a Unix time, 0 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(timeSeconds: number): number {
  return (((math.floor(timeSeconds / DAY) + 4) % 7) + 7) % 7;
}

/** Daily curve: a main harmonic peaking at `peakHourUtc` and a small second one that flattens the trough. */
export function dailyShape(timeSeconds: number, p: SeasonalityParams): number {
  const hour = (((timeSeconds % DAY) + DAY) % DAY) / 3600;
  const phase = (2 * math.PI * (hour - p.peakHourUtc)) / 24;
  return 1 + p.dailyAmplitude * (math.cos(phase) + 0.25 * math.cos(2 * phase));
}

function dayFactor(day: number, p: SeasonalityParams): number {
  return day === 0 || day === 6 ? p.weekendFactor : 1;
}

/** Weekday/weekend factor, blended smoothly across midnight. */
export function weeklyShape(timeSeconds: number, p: SeasonalityParams): number {
  const intoDay = ((timeSeconds % DAY) + DAY) % DAY;
  const today = dayFactor(dayOfWeek(timeSeconds), p);
  const blend = WEEKEND_BLEND_HOURS * 3600;
  if (intoDay < blend) {
    const yesterday = dayFactor(dayOfWeek(timeSeconds - DAY), p);
    const w = 0.5 + intoDay / (2 * blend);
    return yesterday + (today - yesterday) * smooth(w);
  }
  if (intoDay > DAY - blend) {
    const tomorrow = dayFactor(dayOfWeek(timeSeconds + DAY), p);
    const w = (intoDay - (DAY - blend)) / (2 * blend);
    return today + (tomorrow - today) * smooth(w);
  }
  return today;
}

/** Compounding organic growth relative to the anchor (1 at the anchor, below 1 before it). */
export function growthFactor(timeSeconds: number, anchorSeconds: number, p: SeasonalityParams): number {
  return math.pow(1 + p.growthPerWeek, (timeSeconds - anchorSeconds) / WEEK);
}

/**
 * The ordinary-traffic multiplier of a route's base rate at a given time, without noise. Growth holds after
 * `growthUntil` (a scenario served after its window), as in the model's own step.
 */
export function seasonalFactor(
  timeSeconds: number,
  anchorSeconds: number,
  p: SeasonalityParams,
  growthUntil = Infinity
): number {
  return (
    dailyShape(timeSeconds, p) *
    weeklyShape(timeSeconds, p) *
    growthFactor(math.min(timeSeconds, growthUntil), anchorSeconds, p)
  );
}

/** Smoothstep on [0, 1]. */
function smooth(x: number): number {
  const c = math.min(1, math.max(0, x));
  return c * c * (3 - 2 * c);
}
