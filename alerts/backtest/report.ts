/**
 * What a backtest found, in figures (pure): per alert and per service, how many times it fired, for how long,
 * firings per week and the longest; for each incident window, which alert fired first and how long before the
 * window's end; and between two passes (`--set`), the firings each change adds or removes. Plus the terminal
 * table.
 */
import type { FiringSpan } from './alertState';
import type { AlertInstance, BacktestResult } from './run';

const WEEK = 7 * 86_400;

export interface Figures {
  firings: number;
  /** Seconds firing within the window. */
  firingSeconds: number;
  perWeek: number;
  /** Seconds of the longest firing (within the window). */
  longestSeconds: number;
}

export interface AlertFigures extends Figures {
  alertname: string;
  severity: string;
  stage: string;
}

export interface ServiceFigures extends Figures {
  /** `service=registry`, `cluster=main`, or `(pack-wide)` for alerts without either label. */
  owner: string;
  alerts: string[];
}

export interface IncidentFinding {
  from: number;
  to: number;
  /** Alerts that started firing within the incident window, earliest first (one row per alert name). */
  first: Array<{
    alertname: string;
    severity: string;
    labels: Record<string, string>;
    start: number;
    leadSeconds: number;
  }>;
}

/** The instance's owner for the per-service table. */
export function ownerOf(labels: Record<string, string>): string {
  if (labels.service !== undefined) {
    return `service=${labels.service}`;
  }
  if (labels.cluster !== undefined) {
    return `cluster=${labels.cluster}`;
  }
  return '(pack-wide)';
}

function clipped(span: FiringSpan, window: { from: number; to: number }): [number, number] {
  return [Math.max(span.start, window.from), Math.min(span.end ?? window.to, window.to)];
}

function figures(spans: FiringSpan[], window: { from: number; to: number }): Figures {
  let firingSeconds = 0;
  let longestSeconds = 0;
  for (const s of spans) {
    const [a, b] = clipped(s, window);
    firingSeconds += Math.max(0, b - a);
    longestSeconds = Math.max(longestSeconds, b - a);
  }
  const weeks = (window.to - window.from) / WEEK;
  return { firings: spans.length, firingSeconds, longestSeconds, perWeek: weeks > 0 ? spans.length / weeks : 0 };
}

export function alertFigures(result: BacktestResult): AlertFigures[] {
  return result.alerts.map((a) => ({
    alertname: a.alertname,
    severity: a.severity,
    stage: a.stage,
    ...figures(
      a.instances.flatMap((i) => i.spans),
      result.window
    ),
  }));
}

export function serviceFigures(result: BacktestResult): ServiceFigures[] {
  const byOwner = new Map<string, { spans: FiringSpan[]; alerts: Set<string> }>();
  for (const a of result.alerts) {
    for (const i of a.instances) {
      const owner = ownerOf(i.labels);
      const entry = byOwner.get(owner) ?? { spans: [], alerts: new Set<string>() };
      entry.spans.push(...i.spans);
      entry.alerts.add(a.alertname);
      byOwner.set(owner, entry);
    }
  }
  return [...byOwner]
    .map(([owner, { spans, alerts }]) => ({ owner, alerts: [...alerts].sort(), ...figures(spans, result.window) }))
    .sort((a, b) => b.firings - a.firings || a.owner.localeCompare(b.owner));
}

export function incidentFindings(
  result: BacktestResult,
  incidents: Array<{ from: number; to: number }>
): IncidentFinding[] {
  return incidents.map(({ from, to }) => {
    const first = new Map<string, IncidentFinding['first'][number]>();
    for (const a of result.alerts) {
      for (const i of a.instances) {
        for (const s of i.spans) {
          // Started within the window, or already firing when it began.
          const start = s.start;
          if (start <= to && (s.end === null || s.end > from)) {
            const known = first.get(a.alertname);
            if (known === undefined || start < known.start) {
              first.set(a.alertname, {
                alertname: a.alertname,
                severity: a.severity,
                labels: i.labels,
                start,
                leadSeconds: to - start,
              });
            }
          }
        }
      }
    }
    return { from, to, first: [...first.values()].sort((a, b) => a.start - b.start) };
  });
}

export interface FiringChange {
  alertname: string;
  labels: Record<string, string>;
  span: FiringSpan;
}

export interface PassDiff {
  added: FiringChange[];
  removed: FiringChange[];
}

function instanceKey(alertname: string, labels: Record<string, string>): string {
  return JSON.stringify([alertname, Object.entries(labels).sort()]);
}

function overlaps(a: FiringSpan, b: FiringSpan, to: number): boolean {
  return a.start < (b.end ?? to + 1) && b.start < (a.end ?? to + 1);
}

/** Firings of `after` that overlap no firing of the same alert instance in `before` (added), and the reverse. */
export function diffPasses(before: BacktestResult, after: BacktestResult): PassDiff {
  const index = (r: BacktestResult) => {
    const m = new Map<string, { inst: AlertInstance; spans: FiringSpan[] }>();
    for (const a of r.alerts) {
      for (const i of a.instances) {
        const key = instanceKey(a.alertname, i.labels);
        m.set(key, { inst: i, spans: [...(m.get(key)?.spans ?? []), ...i.spans] });
      }
    }
    return m;
  };
  const a = index(before);
  const b = index(after);
  const only = (x: typeof a, y: typeof a): FiringChange[] =>
    [...x.values()].flatMap(({ inst, spans }) => {
      const other = y.get(instanceKey(inst.alertname, inst.labels))?.spans ?? [];
      return spans
        .filter((s) => !other.some((o) => overlaps(s, o, before.window.to)))
        .map((span) => ({ alertname: inst.alertname, labels: inst.labels, span }));
    });
  return { added: only(b, a), removed: only(a, b) };
}

export function formatDurationShort(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  if (s < 60) {
    return `${s}s`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ') || '0m';
}

export function formatTime(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : '-';
}

/** Left-aligned text columns, numbers right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+( ?[a-z%]+)?$|^-$/.test(r[i]))
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function figureCells(f: Figures): string[] {
  return [
    String(f.firings),
    f.firings ? formatDurationShort(f.firingSeconds) : '-',
    f.perWeek.toFixed(1),
    f.firings ? formatDurationShort(f.longestSeconds) : '-',
  ];
}

export interface ReportInput {
  result: BacktestResult;
  incidents: Array<{ from: number; to: number }>;
  /** A second pass with changed settings (`--set`). */
  changed?: { sets: string[]; result: BacktestResult };
}

export function terminalReport({ result, incidents, changed }: ReportInput): string {
  const out: string[] = [];
  const w = result.window;
  out.push(`Backtest ${formatTime(w.from)} to ${formatTime(w.to)} UTC (${formatDurationShort(w.to - w.from)})`);
  out.push('');
  const base = alertFigures(result);
  const other = changed ? new Map(alertFigures(changed.result).map((f) => [f.alertname, f])) : undefined;
  const header = ['alert', 'severity', 'firings', 'firing time', 'per week', 'longest'];
  if (other) {
    header.push(`firings with ${changed!.sets.join(' ')}`);
  }
  out.push(
    textTable(
      header,
      base.map((f) => [
        f.alertname,
        f.severity,
        ...figureCells(f),
        ...(other ? [String(other.get(f.alertname)?.firings ?? 0)] : []),
      ])
    )
  );
  out.push('');
  const services = serviceFigures(result);
  out.push(
    services.length === 0
      ? 'No alert fired in the window.'
      : textTable(
          ['service / owner', 'firings', 'firing time', 'per week', 'longest', 'alerts'],
          services.map((s) => [s.owner, ...figureCells(s), s.alerts.join(', ')])
        )
  );
  for (const finding of incidentFindings(result, incidents)) {
    out.push('');
    out.push(`Incident ${formatTime(finding.from)} .. ${formatTime(finding.to)}:`);
    if (finding.first.length === 0) {
      out.push('  no alert fired in it');
    }
    for (const f of finding.first.slice(0, 5)) {
      out.push(
        `  ${formatTime(f.start)}  ${f.alertname} (${f.severity}, ${formatLabels(f.labels)}): ` +
          `${formatDurationShort(f.leadSeconds)} before the window's end`
      );
    }
  }
  if (changed) {
    const diff = diffPasses(result, changed.result);
    out.push('');
    out.push(`With ${changed.sets.join(' ')}: ${diff.added.length} firing(s) added, ${diff.removed.length} removed`);
    for (const [sign, list] of [
      ['+', diff.added],
      ['-', diff.removed],
    ] as const) {
      for (const c of list.slice(0, 20)) {
        out.push(`  ${sign} ${formatTime(c.span.start)}  ${c.alertname} ${formatLabels(c.labels)}`);
      }
      if (list.length > 20) {
        out.push(`  ${sign} ... ${list.length - 20} more (see the HTML report)`);
      }
    }
  }
  return out.join('\n') + '\n';
}
