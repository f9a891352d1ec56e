import { formattedValueToString, getValueFormat } from '@grafana/data';

/** "~14 min", "~2 h 5 min", "~40 s": ETAs are estimates, and say so. */
export function formatEta(ms: number): string {
  return `~${formatDuration(ms)}`;
}

/** "7 min", "2 h 5 min", "40 s", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '∞';
  }
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  const min = Math.round(s / 60);
  if (min < 60) {
    return `${min} min`;
  }
  const h = Math.floor(min / 60);
  if (h < 48) {
    const rest = min % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  const d = Math.floor(h / 24);
  const restH = h % 24;
  return restH ? `${d} d ${restH} h` : `${d} d`;
}

/** "+62%", "-40%", and "3.6x" for large rises, where a percentage stops being readable. */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return 'n/a';
  }
  if (ratio >= 2) {
    return `${(ratio + 1).toFixed(1)}x`;
  }
  const pct = Math.round(ratio * 100);
  return `${pct >= 0 ? '+' : ''}${pct}%`;
}

/** A value in a Grafana unit ("reqps", "s", "percentunit", "short"...), e.g. "4.2 min", "12.5 req/s". */
export function formatValue(value: number, unit: string, decimals?: number): string {
  if (!Number.isFinite(value)) {
    return '–';
  }
  try {
    return formattedValueToString(getValueFormat(unit)(value, decimals));
  } catch {
    return String(value);
  }
}

/** The short form of a unit for running text ("req/s" for reqps); empty for unitless. */
export function unitSuffix(unit: string): string {
  const formatted = formatValue(1, unit).replace(/^1\s*/, '').trim();
  return /^[0-9.]/.test(formatted) ? '' : formatted;
}
