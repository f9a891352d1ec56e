/**
 * The replays' results as the README's tables: each alert's first firing against the report's
 * timeline, the requirements of docs/alerts.md, and the ordinary days' alert budget.
 */
import fs from 'fs';

import { README, readSection, writeSection } from '../docs';
import { hhmm, INCIDENT_REQUIREMENTS, ordinaryDayBudget, REPORT_TIMELINES, at } from './expectations';
import type { ReplayAlert } from './replay';
import type { ScenarioResult } from './scenarios';

export const REPLAY_SECTION = 'replay-results';

function minutes(from: number, to: number): string {
  const m = Math.round((to - from) / 60);
  return m >= 0 ? `+${m} min` : `${m} min`;
}

/** One row per alert name: its first firing, and how many instances fired. */
function firstPerAlert(alerts: ReplayAlert[]): Array<{ alert: ReplayAlert; instances: number }> {
  const byName = new Map<string, ReplayAlert[]>();
  for (const a of alerts.filter((x) => !Number.isNaN(x.firstFiring))) {
    byName.set(a.alertname, [...(byName.get(a.alertname) ?? []), a]);
  }
  return [...byName.values()]
    .map((list) => ({ alert: list.sort((a, b) => a.firstFiring - b.firstFiring)[0], instances: list.length }))
    .sort((a, b) => a.alert.firstFiring - b.alert.firstFiring);
}

function labelsText(a: ReplayAlert): string {
  return Object.entries(a.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export function incidentSection(r: ScenarioResult): string {
  const timeline = REPORT_TIMELINES[r.spec.scenario] ?? [];
  const [first, ...rest] = timeline;
  const reference = timeline.find((e) => /alerts|issue/.test(e.what)) ?? rest[0];
  const lines = [
    `#### ${r.spec.title} (\`${r.spec.scenario}\`)`,
    '',
    `Report: ${timeline.map((e) => `${e.time} ${e.what}`).join('; ')}.`,
    '',
    `| alert | severity | first fired (UTC) | after ${first.what} (${first.time}) | relative to ${reference.what} (${reference.time}) | instances (first) |`,
    '|---|---|---|---|---|---|',
  ];
  for (const { alert, instances } of firstPerAlert(r.alerts)) {
    const t = alert.firstFiring;
    lines.push(
      `| \`${alert.alertname}\` | ${alert.severity} | ${hhmm(t)} | ${minutes(at(r, first.time), t)} | ${minutes(at(r, reference.time), t)} | ${instances} (${labelsText(alert) || '-'}) |`
    );
  }
  lines.push('', '| requirement (docs/alerts.md) | result | status |', '|---|---|---|');
  for (const req of INCIDENT_REQUIREMENTS[r.spec.scenario] ?? []) {
    const { ok, evidence } = req.check(r);
    lines.push(`| ${req.text} | ${evidence} | ${ok ? 'met' : '**not met**'} |`);
  }
  return lines.join('\n');
}

export function ordinarySection(results: ScenarioResult[]): string {
  const lines = [
    '| ordinary scenario | window | warnings (allowed) | critical | alerts that fired |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) {
    const budget = ordinaryDayBudget(r);
    const hours = Math.round((r.window.to - r.window.from) / 3600);
    const fired = r.alerts
      .filter((a) => a.onsets > 0 || a.firingAtStart)
      .map(
        (a) => `\`${a.alertname}\` ${hhmm(a.firstFiring)} ${new Date(a.firstFiring * 1000).toISOString().slice(0, 10)}`
      )
      .join(', ');
    lines.push(
      `| ${r.spec.title} (\`${r.spec.scenario}\`) | ${hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`} | ${budget.warnings} (${budget.allowed}) | ${budget.criticals.length} | ${fired || 'none'} |`
    );
  }
  return lines.join('\n');
}

export function resultsMarkdown(results: ScenarioResult[]): string {
  return [
    ...results.filter((r) => r.spec.kind === 'incident').map(incidentSection),
    '#### Ordinary days',
    ordinarySection(results.filter((r) => r.spec.kind === 'ordinary')),
  ].join('\n\n');
}

/** The README's replay results section, or undefined when its markers are missing. */
export function readmeSection(text = fs.readFileSync(README, 'utf8')): string | undefined {
  return readSection(text, REPLAY_SECTION);
}

export function updateReadme(markdown: string): void {
  fs.writeFileSync(README, writeSection(fs.readFileSync(README, 'utf8'), REPLAY_SECTION, markdown));
}
