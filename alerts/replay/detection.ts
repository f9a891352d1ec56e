/**
 * The detection report: the rendered pack replayed (replay.ts, with promtool) on generated worlds
 * (simulator/worlds/generate.ts), which it was not tuned on, scored against each world's truth.
 *
 * Targets (what the pack should achieve on any world):
 *  - cascades (the primary saturates): a traffic- or backlog-stage warning, always (while instances are left:
 *    after the last one goes, a warning warns nobody; the report also scores the stricter "before saturation");
 *    the backlog warning at least 15 minutes before saturation in 95 % of those that take 20 minutes or more;
 *  - bad deploys: the deploy alert on the broken route within 5 minutes, on no other route;
 *  - drops to half or less: a traffic-stage warning within 10 minutes;
 *  - benign days: no page, at most one warning a week.
 */
import { SIGNALS } from '../../contract/signals';
import { loadConfig } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import {
  generateWorld,
  simulateWorld,
  worldTruth,
  type World,
  type WorldKind,
  type WorldTruth,
} from '../../simulator/worlds/generate';
import { replay, type ReplayAlert } from './replay';

const MINUTE = 60;
const WEEK = 7 * 86_400;

export interface WorldResult {
  world: Pick<World, 'seed' | 'kind' | 'benign' | 'onset' | 'window' | 'routes' | 'dropTo' | 'summary'>;
  truth: WorldTruth;
  alerts: ReplayAlert[];
  /** Wall-clock seconds of the replay's two promtool runs. */
  seconds?: { seasonal: number; fast: number };
}

/** Simulates a world's three weeks of history and its window, and replays them through the pack. */
export async function replayWorld(world: World, config: CascadeConfig = loadConfig()): Promise<WorldResult> {
  const full = simulateWorld(world);
  const truth = worldTruth(world, full);
  // The latency histogram is not read by the pack: leave it out of promtool's input.
  const run = { ...full, series: full.series.filter((s) => s.metric !== SIGNALS.latency.name) };
  const result = await replay({ name: `world-${world.seed}`, run, window: world.window, config });
  const { scenario: _scenario, ...described } = world;
  return { world: described, truth, alerts: result.alerts, seconds: result.seconds };
}

/**
 * Replays the worlds of some seeds, `parallel` at a time (promtool itself runs at most two at once), starting no
 * new world after `deadline` (Unix ms): the report says how many it scored.
 */
export async function replayWorlds(
  seeds: number[],
  options: {
    parallel?: number;
    deadline?: number;
    config?: CascadeConfig;
    /** Force the kinds (in turn, by the seed's place in the list) instead of drawing them. */
    kinds?: WorldKind[];
    onResult?: (r: WorldResult) => void;
  } = {}
): Promise<{ results: WorldResult[]; skipped: number[]; failed: Array<{ seed: number; error: string }> }> {
  const config = options.config ?? loadConfig();
  const queue = [...seeds];
  const kindOf = (seed: number) =>
    options.kinds?.length ? options.kinds[seeds.indexOf(seed) % options.kinds.length] : undefined;
  const results: WorldResult[] = [];
  const failed: Array<{ seed: number; error: string }> = [];
  const skipped: number[] = [];
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        skipped.push(seed);
        continue;
      }
      try {
        const r = await replayWorld(generateWorld(seed, kindOf(seed)), config);
        results.push(r);
        options.onResult?.(r);
      } catch (e) {
        failed.push({ seed, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 3 }, worker));
  results.sort((a, b) => a.world.seed - b.world.seed);
  return { results, skipped: skipped.sort((a, b) => a - b), failed };
}

/** The first time an alert started firing at or after t (NaN: never). Its first and last onsets are known. */
export function firstFiringFrom(alert: ReplayAlert, t: number): number {
  if (alert.firstFiring >= t) {
    return alert.firstFiring;
  }
  return alert.lastOnset >= t ? alert.lastOnset : NaN;
}

/** The earliest time any of the selected alerts started firing at or after t (NaN: none did). */
export function earliestFrom(alerts: ReplayAlert[], select: (a: ReplayAlert) => boolean, t: number): number {
  const times = alerts
    .filter(select)
    .map((a) => firstFiringFrom(a, t))
    .filter((x) => !Number.isNaN(x));
  return times.length ? Math.min(...times) : NaN;
}

const warning = (stage: string) => (a: ReplayAlert) => a.stage === stage && a.severity === 'warning';
const DEPLOY_ALERTS = new Set(['CascadeDeployTrafficAnomaly', 'CascadeDeployErrorRatio']);

export interface TargetResult {
  target: string;
  met: number;
  of: number;
  /** Share required (1 = all). */
  required: number;
  /** Seeds that missed, for the report. */
  misses: number[];
  ok: boolean;
}

function target(target: string, required: number, cases: Array<{ seed: number; ok: boolean }>): TargetResult {
  const met = cases.filter((c) => c.ok).length;
  return {
    target,
    met,
    of: cases.length,
    required,
    misses: cases.filter((c) => !c.ok).map((c) => c.seed),
    ok: cases.length === 0 || met / cases.length >= required,
  };
}

/** A world whose service was already down when its window opened tells nothing about the alerts: left out. */
const judged = (results: WorldResult[]) => results.filter((r) => !r.truth.downAtStart);
/**
 * Judged by what happened, not by what was drawn: a "benign" batch that saturates the primary or empties the fleet
 * is an incident (its pages are right), and is scored with the incidents.
 */
const isBenign = (r: WorldResult) =>
  r.world.benign && r.truth.saturation === undefined && r.truth.zeroHealthy === undefined;
const isCascade = (r: WorldResult) => !isBenign(r) && r.truth.saturation !== undefined;

/** The issue's targets, scored on some worlds. */
export function targets(all: WorldResult[]): TargetResult[] {
  const results = judged(all);
  const cascades = results.filter(isCascade);
  const slow = cascades.filter((r) => r.truth.saturation! - r.world.onset >= 20 * MINUTE);
  const deploys = results.filter((r) => r.world.kind === 'bad-deploy');
  const drops = results.filter((r) => r.world.kind === 'drop' && (r.world.dropTo ?? 1) <= 0.5);
  const oneRoute = results.filter((r) => r.world.kind === 'surge-one-route');
  const benign = results.filter(isBenign);
  const benignWeeks = benign.reduce((n, r) => n + (r.world.window.to - r.world.window.from) / WEEK, 0);
  const benignWarnings = benign.reduce((n, r) => n + warningsIn(r), 0);
  const stageWarning = (a: ReplayAlert) => warning('traffic')(a) || warning('backlog')(a);
  return [
    target(
      'cascades: a traffic- or backlog-stage warning while instances are left',
      1,
      cascades.map((r) => ({
        seed: r.world.seed,
        ok: earliestFrom(r.alerts, stageWarning, r.world.onset) < (r.truth.zeroHealthy ?? Infinity),
      }))
    ),
    target(
      'cascades (stricter): such a warning before the primary saturates',
      1,
      cascades.map((r) => ({
        seed: r.world.seed,
        ok: earliestFrom(r.alerts, stageWarning, r.world.onset) < r.truth.saturation!,
      }))
    ),
    target(
      'cascades saturating 20+ min after onset: a backlog-stage warning 15+ min before saturation',
      0.95,
      slow.map((r) => ({
        seed: r.world.seed,
        ok: earliestFrom(r.alerts, warning('backlog'), r.world.onset) <= r.truth.saturation! - 15 * MINUTE,
      }))
    ),
    target(
      'bad deploys: a deploy alert on the broken route within 5 min',
      1,
      deploys.map((r) => ({
        seed: r.world.seed,
        ok:
          earliestFrom(
            r.alerts,
            (a) => DEPLOY_ALERTS.has(a.alertname) && a.labels.route === r.world.routes[0],
            r.world.onset
          ) <=
          r.world.onset + 5 * MINUTE,
      }))
    ),
    target(
      'bad deploys: no deploy alert on another route',
      1,
      deploys.map((r) => ({
        seed: r.world.seed,
        ok: !r.alerts.some((a) => DEPLOY_ALERTS.has(a.alertname) && a.labels.route !== r.world.routes[0]),
      }))
    ),
    target(
      'drops to half or less: a traffic-stage warning within 10 min',
      1,
      drops.map((r) => ({
        seed: r.world.seed,
        ok: earliestFrom(r.alerts, warning('traffic'), r.world.onset) <= r.world.onset + 10 * MINUTE,
      }))
    ),
    target(
      'one-route surges: a traffic-stage warning within 10 min',
      1,
      oneRoute.map((r) => ({
        seed: r.world.seed,
        ok: earliestFrom(r.alerts, warning('traffic'), r.world.onset) <= r.world.onset + 10 * MINUTE,
      }))
    ),
    target(
      'benign days: no page',
      1,
      benign.map((r) => ({ seed: r.world.seed, ok: pagesIn(r) === 0 }))
    ),
    {
      ...target(
        `benign days: at most one warning a week (${benignWarnings} warnings in ${benignWeeks.toFixed(1)} weeks)`,
        1,
        benign.filter((r) => warningsIn(r) > 0).map((r) => ({ seed: r.world.seed, ok: false }))
      ),
      met: benignWarnings,
      of: Math.round(benignWeeks * 10) / 10,
      ok: benignWarnings <= Math.max(1, benignWeeks),
    },
  ];
}

/** Warnings that started (or were firing) within a world's window. */
export function warningsIn(r: WorldResult): number {
  return r.alerts.filter((a) => a.severity === 'warning').reduce((n, a) => n + a.onsets + (a.firingAtStart ? 1 : 0), 0);
}

export function pagesIn(r: WorldResult): number {
  return r.alerts
    .filter((a) => a.severity === 'critical')
    .reduce((n, a) => n + a.onsets + (a.firingAtStart ? 1 : 0), 0);
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) {
    return NaN;
  }
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
}

const minutes = (x: number) => (Number.isNaN(x) ? '-' : `${Math.round(x / MINUTE)}`);

/** Per incident kind and alert (and stage): how often it fired after onset, how soon, how far before saturation. */
export function alertRows(results: WorldResult[]): string[][] {
  const rows: string[][] = [];
  const incidents = judged(results).filter((r) => !isBenign(r));
  const kinds = [...new Set(incidents.map((r) => (isCascade(r) ? `${r.world.kind} (cascade)` : r.world.kind)))].sort();
  for (const kind of kinds) {
    const worlds = incidents.filter((r) => (isCascade(r) ? `${r.world.kind} (cascade)` : r.world.kind) === kind);
    const selectors: Array<[string, (a: ReplayAlert) => boolean]> = [
      ['any traffic-stage warning', warning('traffic')],
      ['any backlog-stage warning', warning('backlog')],
      ...[...new Set(worlds.flatMap((r) => r.alerts.map((a) => a.alertname)))]
        .sort()
        .map((name): [string, (a: ReplayAlert) => boolean] => [`\`${name}\``, (a) => a.alertname === name]),
    ];
    for (const [name, select] of selectors) {
      const fired = worlds
        .map((r) => ({ r, t: earliestFrom(r.alerts, select, r.world.onset) }))
        .filter((x) => !Number.isNaN(x.t));
      if (fired.length === 0 && name.startsWith('`')) {
        continue;
      }
      const after = fired.map((x) => x.t - x.r.world.onset);
      const leads = fired.filter((x) => x.r.truth.saturation !== undefined).map((x) => x.r.truth.saturation! - x.t);
      rows.push([
        kind,
        name,
        `${fired.length}/${worlds.length}`,
        minutes(quantile(after, 0.5)),
        leads.length ? `${minutes(quantile(leads, 0.5))} / ${minutes(quantile(leads, 0.1))}` : '-',
      ]);
    }
  }
  return rows;
}

/** Benign worlds: per kind, warnings per week and pages, and which alerts warned. */
export function benignRows(results: WorldResult[]): string[][] {
  const benign = judged(results).filter(isBenign);
  return [...new Set(benign.map((r) => r.world.kind))].sort().map((kind) => {
    const worlds = benign.filter((r) => r.world.kind === kind);
    const weeks = worlds.reduce((n, r) => n + (r.world.window.to - r.world.window.from) / WEEK, 0);
    const warnings = worlds.reduce((n, r) => n + warningsIn(r), 0);
    const names = [
      ...new Set(
        worlds.flatMap((r) => r.alerts.filter((a) => a.onsets > 0 || a.firingAtStart).map((a) => a.alertname))
      ),
    ].sort();
    return [
      kind,
      `${worlds.length}`,
      (warnings / weeks).toFixed(1),
      `${worlds.reduce((n, r) => n + pagesIn(r), 0)}`,
      names.map((n) => `\`${n}\``).join(', ') || 'none',
    ];
  });
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/**
 * The report as Markdown (the README's table and the bench's output). With `before` (another pack's results on
 * worlds of the same seeds), the targets table shows its score beside this one.
 */
export function detectionMarkdown(results: WorldResult[], seeds: string, before?: WorldResult[]): string {
  const score = (t: TargetResult) =>
    t.target.startsWith('benign days: at most') ? `${t.met} warnings / ${t.of} weeks` : `${t.met}/${t.of}`;
  const seedSet = new Set(results.map((r) => r.world.seed));
  const earlier = before ? targets(before.filter((r) => seedSet.has(r.world.seed))) : undefined;
  const kinds = results.reduce<Record<string, number>>(
    (m, r) => ({ ...m, [r.world.kind]: (m[r.world.kind] ?? 0) + 1 }),
    {}
  );
  const scored = judged(results);
  const turnedIncident = scored.filter((r) => r.world.benign && !isBenign(r)).length;
  const down = results.filter((r) => r.truth.downAtStart).map((r) => r.world.seed);
  return [
    `${results.length} generated worlds (seeds ${seeds}): ${Object.entries(kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}; ${scored.filter(isCascade).length} saturate the primary.${
      turnedIncident
        ? ` ${turnedIncident} drawn as benign days saturated the primary or emptied the fleet: they are scored as incidents.`
        : ''
    }${
      down.length
        ? ` ${down.length} left out (seeds ${down.join(', ')}): the drawn service had no healthy instance when its window opened.`
        : ''
    }`,
    '',
    table(
      ['target', ...(earlier ? ['before'] : []), 'met', 'status', 'seeds that miss'],
      targets(results).map((t, i) => [
        t.target,
        ...(earlier ? [score(earlier[i])] : []),
        score(t),
        t.of === 0 ? 'no case' : t.ok ? 'met' : 'NOT met',
        t.misses.slice(0, 12).join(', ') + (t.misses.length > 12 ? ', ...' : '') || '-',
      ])
    ),
    '',
    table(
      ['incident', 'alert', 'fired after onset', 'median min after onset', 'min before saturation (median / p10)'],
      alertRows(results)
    ),
    '',
    table(['benign', 'worlds (1 day each)', 'warnings per week', 'pages', 'alerts that fired'], benignRows(results)),
  ].join('\n');
}

/** 1,2,3,5 -> "1-3, 5" */
export function compactSeeds(seeds: number[]): string {
  const s = [...seeds].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) {
      j++;
    }
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
