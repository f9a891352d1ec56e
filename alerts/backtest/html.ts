/**
 * The backtest's HTML report: one self-contained page (no script, no external asset) with the figures' tables
 * and an inline SVG timeline: the request rate and the write backlog on top, then one row per alert with its
 * firing spans drawn over a faint copy of the traffic, incident windows shaded. Every text from the data
 * (labels, names, settings) is escaped; nothing is built as markup from data at view time.
 */
import {
  alertFigures,
  diffPasses,
  formatDurationShort,
  formatLabels,
  formatTime,
  incidentFindings,
  serviceFigures,
  type ReportInput,
} from './report';
import type { BacktestResult } from './run';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;
const SEVERITY_COLOUR: Record<string, string> = { critical: '#d62728', warning: '#e8a33d', info: '#1f77b4' };
const CHANGED_COLOUR = '#6f42c1';

function table(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function n(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0';
}

function linePath(points: Array<[number, number]>, x: (t: number) => number, y0: number, height: number): string {
  const values = points.map((p) => p[1]).filter(Number.isFinite);
  if (values.length === 0) {
    return '';
  }
  const max = Math.max(...values) || 1;
  const y = (v: number) => y0 + height - (v / max) * height;
  const inside = points.filter((p) => Number.isFinite(p[1]));
  const top = inside.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(x(p[0]))},${n(y(p[1]))}`).join('');
  return `${top}L${n(x(inside[inside.length - 1][0]))},${y0 + height}L${n(x(inside[0][0]))},${y0 + height}Z`;
}

function ticks(from: number, to: number): number[] {
  const span = to - from;
  const steps = [3600, 3 * 3600, 6 * 3600, 86_400, 2 * 86_400, 7 * 86_400];
  const step = steps.find((s) => span / s <= 10) ?? 14 * 86_400;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    out.push(t);
  }
  return out;
}

/** The timeline as an SVG element (text escaped). */
export function timelineSvg(input: ReportInput): string {
  const { result, incidents, changed } = input;
  const { from, to } = result.window;
  const width = 1200;
  const left = 250;
  const right = 40;
  const lane = 56;
  const row = changed ? 26 : 20;
  const top = 24;
  const alerts = result.alerts;
  const height = top + 2 * (lane + 8) + alerts.length * row + 30;
  const x = (t: number) => left + ((t - from) / Math.max(1, to - from)) * (width - left - right);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Timeline of the alerts that fired">`
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  const alertsTop = top + 2 * (lane + 8);
  for (const inc of incidents) {
    const a = x(Math.max(from, inc.from));
    const b = x(Math.min(to, inc.to));
    if (b > a) {
      parts.push(
        `<rect x="${n(a)}" y="${top}" width="${n(b - a)}" height="${height - top - 30}" fill="#1f77b4" fill-opacity="0.08"><title>${e(
          `incident ${formatTime(inc.from)} .. ${formatTime(inc.to)}`
        )}</title></rect>`
      );
    }
  }
  const lanes: Array<[string, Array<[number, number]>, string]> = [
    ['request rate (req/s)', result.background.traffic, '#1f77b4'],
    ['write backlog', result.background.backlog, '#8c564b'],
  ];
  lanes.forEach(([label, points, colour], i) => {
    const y0 = top + i * (lane + 8);
    const max = Math.max(0, ...points.map((p) => p[1]).filter(Number.isFinite));
    parts.push(`<text x="8" y="${y0 + 16}" class="lane">${e(label)}</text>`);
    parts.push(`<text x="8" y="${y0 + 32}" class="axis">max ${e(max.toPrecision(3))}</text>`);
    parts.push(
      `<rect x="${left}" y="${y0}" width="${width - left - right}" height="${lane}" fill="none" stroke="#ddd"/>`
    );
    const d = linePath(points, x, y0, lane);
    if (d) {
      parts.push(`<path d="${d}" fill="${colour}" fill-opacity="0.25" stroke="${colour}" stroke-width="1"/>`);
    } else {
      parts.push(`<text x="${left + 8}" y="${y0 + 32}" class="axis">no data</text>`);
    }
  });
  // The traffic again, faint, behind the alert rows: spans read against it.
  const faint = linePath(result.background.traffic, x, alertsTop, alerts.length * row);
  if (faint) {
    parts.push(`<path d="${faint}" fill="#1f77b4" fill-opacity="0.07" stroke="none"/>`);
  }
  const changedByName = new Map(changed?.result.alerts.map((a) => [a.alertname, a]) ?? []);
  alerts.forEach((a, i) => {
    const y0 = alertsTop + i * row;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y0 + row}" y2="${y0 + row}" stroke="#eee"/>`);
    const fired = a.instances.reduce((k, inst) => k + inst.spans.length, 0);
    parts.push(
      `<text x="8" y="${y0 + 14}" class="${fired ? 'alert' : 'quiet'}">${e(a.alertname)}${fired ? ` (${fired})` : ''}</text>`
    );
    const colour = SEVERITY_COLOUR[a.severity] ?? '#555';
    const bar = changed ? 10 : 14;
    for (const inst of a.instances) {
      for (const s of inst.spans) {
        const a0 = x(Math.max(from, s.start));
        const b0 = x(Math.min(to, s.end ?? to));
        parts.push(
          `<rect x="${n(a0)}" y="${y0 + 3}" width="${n(Math.max(2, b0 - a0))}" height="${bar}" fill="${colour}"><title>${e(
            `${a.alertname} ${formatLabels(inst.labels)}: ${formatTime(s.start)} to ${s.end === null ? 'the end' : formatTime(s.end)} UTC`
          )}</title></rect>`
        );
      }
    }
    for (const inst of changedByName.get(a.alertname)?.instances ?? []) {
      for (const s of inst.spans) {
        const a0 = x(Math.max(from, s.start));
        const b0 = x(Math.min(to, s.end ?? to));
        parts.push(
          `<rect x="${n(a0)}" y="${y0 + 3 + bar + 2}" width="${n(Math.max(2, b0 - a0))}" height="${bar - 4}" fill="${CHANGED_COLOUR}"><title>${e(
            `with ${changed!.sets.join(' ')}: ${a.alertname} ${formatLabels(inst.labels)}: ${formatTime(s.start)} to ${s.end === null ? 'the end' : formatTime(s.end)} UTC`
          )}</title></rect>`
        );
      }
    }
  });
  const axisY = alertsTop + alerts.length * row;
  for (const t of ticks(from, to)) {
    parts.push(
      `<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${top}" y2="${axisY + 4}" stroke="#000" stroke-opacity="0.12"/>`
    );
    parts.push(
      `<text x="${n(x(t))}" y="${axisY + 18}" class="axis" text-anchor="middle">${e(formatTime(t).slice(5))}</text>`
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export function htmlReport(input: ReportInput & { title: string; command: string }): string {
  const { result, incidents, changed } = input;
  const w = result.window;
  const figures = alertFigures(result);
  const sections: string[] = [];
  sections.push(`<h1>${e(input.title)}</h1>`);
  sections.push(
    `<p>${e(`${formatTime(w.from)} to ${formatTime(w.to)} UTC (${formatDurationShort(w.to - w.from)}), evaluated at a ${result.stepSeconds} s resolution.`)} <code>${e(input.command)}</code></p>`
  );
  sections.push(`<h2>Timeline</h2>`);
  sections.push(
    `<p class="legend"><span class="sw" style="background:${SEVERITY_COLOUR.critical}"></span>critical <span class="sw" style="background:${SEVERITY_COLOUR.warning}"></span>warning${
      changed
        ? ` <span class="sw" style="background:${CHANGED_COLOUR}"></span>${e(`with ${changed.sets.join(' ')}`)}`
        : ''
    } <span class="sw" style="background:#1f77b4;opacity:.25"></span>incident windows, request rate</p>`
  );
  sections.push(`<div class="timeline">${timelineSvg(input)}</div>`);
  sections.push(`<h2>Per alert</h2>`);
  const other = changed ? new Map(alertFigures(changed.result).map((f) => [f.alertname, f])) : undefined;
  sections.push(
    table(
      [
        'alert',
        'severity',
        'stage',
        'firings',
        'firing time',
        'per week',
        'longest',
        ...(other ? [`firings with ${changed!.sets.join(' ')}`] : []),
      ],
      figures.map((f) => [
        f.alertname,
        f.severity,
        f.stage,
        String(f.firings),
        f.firings ? formatDurationShort(f.firingSeconds) : '-',
        f.perWeek.toFixed(1),
        f.firings ? formatDurationShort(f.longestSeconds) : '-',
        ...(other ? [String(other.get(f.alertname)?.firings ?? 0)] : []),
      ])
    )
  );
  sections.push(`<h2>Per service</h2>`);
  const services = serviceFigures(result);
  sections.push(
    services.length === 0
      ? '<p>No alert fired in the window.</p>'
      : table(
          ['service / owner', 'firings', 'firing time', 'per week', 'longest', 'alerts'],
          services.map((s) => [
            s.owner,
            String(s.firings),
            formatDurationShort(s.firingSeconds),
            s.perWeek.toFixed(1),
            formatDurationShort(s.longestSeconds),
            s.alerts.join(', '),
          ])
        )
  );
  for (const finding of incidentFindings(result, incidents)) {
    sections.push(`<h2>${e(`Incident ${formatTime(finding.from)} .. ${formatTime(finding.to)}`)}</h2>`);
    sections.push(
      finding.first.length === 0
        ? '<p>No alert fired in this window.</p>'
        : table(
            ['first fired (UTC)', 'alert', 'severity', 'labels', "before the window's end"],
            finding.first.map((f) => [
              formatTime(f.start),
              f.alertname,
              f.severity,
              formatLabels(f.labels),
              formatDurationShort(f.leadSeconds),
            ])
          )
    );
  }
  if (changed) {
    const diff = diffPasses(result, changed.result);
    sections.push(
      `<h2>${e(`With ${changed.sets.join(' ')}: ${diff.added.length} firing(s) added, ${diff.removed.length} removed`)}</h2>`
    );
    const rows = [
      ...diff.added.map((c) => ['added', formatTime(c.span.start), c.alertname, formatLabels(c.labels)]),
      ...diff.removed.map((c) => ['removed', formatTime(c.span.start), c.alertname, formatLabels(c.labels)]),
    ];
    sections.push(
      rows.length ? table(['change', 'started (UTC)', 'alert', 'labels'], rows) : '<p>No firing changes.</p>'
    );
  }
  sections.push(`<h2>Inputs</h2>`);
  sections.push(
    table(
      ['signal', 'selectors', 'series', 'fetched from'],
      result.inputs.map((i) => [i.signal, i.selectors.join(', '), String(i.series), formatTime(i.from)])
    )
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(input.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 10px; text-align: left; }
th { background: #f5f5f5; }
code { background: #f5f5f5; padding: 1px 4px; }
.timeline { overflow-x: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.axis { fill: #666; font-size: 11px; }
svg text.quiet { fill: #999; }
svg text.lane { font-weight: 600; }
.legend .sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -2px; }
</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

export type { BacktestResult };
