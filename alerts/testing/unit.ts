/**
 * Per-alert unit tests as promtool test files: hand-written input series, and at chosen times
 * the exact set of firing instances of an alert (through the ALERTS series, so labels are
 * checked exactly and annotations separately).
 */
import fs from 'fs';
import path from 'path';

import type { AlertName } from '../catalogue';
import { loadConfig } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import { prometheusRuleGroups } from '../render/prometheus';
import { toYaml } from '../render/yaml';
import { identityLabels } from '../rules/build';
import type { RuleGroup } from '../rules/model';
import { buildPack, GROUP_PREFIX, packAlerts } from '../rules/pack';
import { promtool, type ToolResult } from './promtool';
import type { InputSeries } from './series';
import { seriesLiteral, testFileYaml, workDir, type AlertCheck, type PromqlCheck } from './testfile';

export interface Firing {
  alert: AlertName;
  /** The alert's own labels (its identity); alertname, severity and stage are added. */
  labels: Record<string, string>;
}

export interface Expectation {
  /** Time from the start of the series, e.g. `45m`. */
  at: string;
  /** Exactly these instances of these alerts fire (alerts not named here are not checked)... */
  firing?: Firing[];
  /** ...and these alerts have no firing instance. */
  silent?: AlertName[];
  /** Nothing at all fires (every alert of the pack). */
  nothingFires?: boolean;
}

export interface UnitCase {
  name: string;
  series: InputSeries[];
  /** Input step (default 1m). */
  interval?: string;
  expect: Expectation[];
  /** Exact results of PromQL queries (recorded series, say) at given times. */
  queries?: Array<{ at: string; expr: string; samples: Array<{ labels: string; value: number }> }>;
  /** Exact annotations of a firing alert (checked with promtool's alert_rule_test). */
  annotations?: Array<{
    at: string;
    alert: AlertName;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
}

export interface UnitRun {
  config?: CascadeConfig;
  /** Groups left out of the rule file (e.g. the seasonal group when a test supplies the band itself). */
  withoutGroups?: string[];
  evaluationInterval?: string;
  cases: UnitCase[];
}

export interface UnitResult extends ToolResult {
  dir: string;
  testFile: string;
}

/** The pack for a configuration, without some groups, as a Prometheus rule file's YAML. */
export function ruleFileFor(
  config: CascadeConfig,
  withoutGroups: string[] = []
): { yaml: string; groups: RuleGroup[] } {
  const skip = new Set(withoutGroups.map((g) => `${GROUP_PREFIX}.${g}`));
  const groups = buildPack(config).filter((g) => !skip.has(g.name));
  return { yaml: toYaml({ groups: prometheusRuleGroups(config, groups) }), groups };
}

function alertLabels(groups: RuleGroup[], config: CascadeConfig, firing: Firing): Record<string, string> {
  const rule = packAlerts(groups).find((a) => a.alert === firing.alert);
  if (rule === undefined) {
    throw new Error(`the rule file has no alert ${firing.alert}`);
  }
  const identity = identityLabels(config, rule);
  const unknown = Object.keys(firing.labels).filter((l) => !identity.includes(l));
  if (unknown.length > 0) {
    throw new Error(
      `${firing.alert} has no label ${unknown.join(', ')} (its labels: ${identity.join(', ') || 'none'})`
    );
  }
  return { ...firing.labels, alertname: rule.alert, severity: rule.severity, stage: rule.stage };
}

function checksFor(groups: RuleGroup[], config: CascadeConfig, e: Expectation): PromqlCheck[] {
  const checks: PromqlCheck[] = [];
  if (e.nothingFires) {
    checks.push({ expr: 'ALERTS{alertstate="firing"}', evalTime: e.at, expSamples: [] });
  }
  const named = new Set<AlertName>([...(e.firing ?? []).map((f) => f.alert), ...(e.silent ?? [])]);
  for (const alert of named) {
    const expected = (e.firing ?? []).filter((f) => f.alert === alert);
    checks.push({
      expr: `ALERTS{alertname="${alert}", alertstate="firing"}`,
      evalTime: e.at,
      expSamples: expected.map((f) => ({
        labels: seriesLiteral('ALERTS', { ...alertLabels(groups, config, f), alertstate: 'firing' }),
        value: 1,
      })),
    });
  }
  return checks;
}

/** Writes the rule file and the test file to a temp dir and runs `promtool test rules`. */
export async function runUnitCases(run: UnitRun): Promise<UnitResult> {
  const config = run.config ?? loadConfig();
  const { yaml, groups } = ruleFileFor(config, run.withoutGroups);
  const dir = workDir('unit');
  fs.writeFileSync(path.join(dir, 'rules.yml'), yaml);
  const testFile = path.join(dir, 'test.yml');
  fs.writeFileSync(
    testFile,
    testFileYaml(
      ['rules.yml'],
      run.evaluationInterval ?? config.evaluationInterval,
      run.cases.map((c) => ({
        name: c.name,
        interval: c.interval ?? '1m',
        inputSeries: c.series,
        promql: [
          ...c.expect.flatMap((e) => checksFor(groups, config, e)),
          ...(c.queries ?? []).map((q) => ({ expr: q.expr, evalTime: q.at, expSamples: q.samples })),
        ],
        alerts: (c.annotations ?? []).map((a): AlertCheck => ({
          evalTime: a.at,
          alertname: a.alert,
          expAlerts: [
            {
              labels: (({ alertname: _name, ...rest }) => rest)(
                alertLabels(groups, config, { alert: a.alert, labels: a.labels })
              ),
              annotations: a.annotations,
            },
          ],
        })),
      })),
      groups.map((g) => g.name)
    )
  );
  const result = await promtool(['test', 'rules', 'test.yml'], { cwd: dir });
  if (result.status === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { ...result, dir, testFile };
}

/** Throws with promtool's own report (and where the files are) unless the run passed. */
export function assertPassed(result: UnitResult): void {
  if (result.status !== 0) {
    throw new Error(`promtool test rules failed; files kept in ${result.dir}\n${result.output}`);
  }
}
