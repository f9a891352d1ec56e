/**
 * The cascade as a whole: which stages are active, and the page when two or more are at once (one of them
 * outside the database by default: see `cascade.requireOneOf`).
 * Stage activity is computed from the stage's alert conditions held for their `for` durations,
 * not from Prometheus' ALERTS series, so the same rules work for Grafana-managed alerting.
 * Conditions are recorded once and counted over time: cheaper than subqueries over them.
 */
import { CASCADE_STAGES } from '../catalogue';
import type { CascadeConfig } from '../../config/schema';
import { by, num, on, seconds } from '../promql';
import { alert, record } from './build';
import type { AlertRule, RecordingRule } from './model';
import { SERIES as S } from './series';

/**
 * Each stage alert's condition, recorded once per evaluation (1 per firing-candidate series).
 * Counting its samples over the alert's `for` tells whether the alert is firing, without
 * re-evaluating the condition in a subquery.
 */
function conditionRecording(c: CascadeConfig, rule: AlertRule): RecordingRule {
  return record(S.alertCondition, `group ${by(c, ...rule.by)} (\n${rule.expr}\n)`, {
    by: ['alertname', 'stage', "(the alert's own labels)"],
    help: "Whether each cascade-stage alert's condition holds (1), before its `for` duration; absent otherwise.",
    needs: rule.needs,
    labels: { alertname: rule.alert, stage: rule.stage },
  });
}

/** The alert is firing (to one evaluation): its condition held at every evaluation of its `for`. */
function held(rule: AlertRule, step: string): string {
  const selector = `${S.alertCondition}{alertname="${rule.alert}"}`;
  const steps = Math.floor(seconds(rule.for) / seconds(step));
  return steps === 0 ? selector : `count_over_time(${selector}[${rule.for}]) >= ${steps}`;
}

export function stageRecording(c: CascadeConfig, alerts: AlertRule[]): RecordingRule[] {
  const stageAlerts = alerts.filter((a) => (CASCADE_STAGES as readonly string[]).includes(a.stage));
  const rules: RecordingRule[] = stageAlerts.map((a) => conditionRecording(c, a));
  for (const stage of CASCADE_STAGES) {
    const inStage = stageAlerts.filter((a) => a.stage === stage);
    if (inStage.length === 0) {
      continue;
    }
    const firing = inStage.map((a) => held(a, c.evaluationInterval)).join('\nor\n');
    rules.push(
      record(S.stageActive, `group ${by(c, 'service')} (\n${firing}\n)`, {
        by: ['service', 'stage'],
        help: `1 while a stage of the cascade (label stage: ${CASCADE_STAGES.join(', ')}) has an alert that would be firing; absent otherwise.`,
        needs: [...new Set(inStage.flatMap((a) => a.needs))],
        labels: { stage },
      })
    );
  }
  return rules;
}

/**
 * The page's second condition: one of `cascade.requireOneOf` is among the active stages, so that a batch
 * (backlog and replicas, nothing else) warns without paging. None when the list is empty.
 */
function oneOfRequired(c: CascadeConfig): string {
  const required = c.cascade.requireOneOf;
  if (required.length === 0) {
    return '';
  }
  return `\nand ${on(c, 'service')}\ncount ${by(c, 'service')} (${S.stageActive}{stage=~"${required.join('|')}"})`;
}

export function cascadeAlerts(c: CascadeConfig, stages: RecordingRule[]): AlertRule[] {
  const context: NonNullable<AlertRule['context']> = {};
  const stageRules = stages.filter((s) => s.record === S.stageActive);
  if (stageRules.length < c.cascade.minStages) {
    return [];
  }
  for (const stage of stageRules.map((s) => s.labels!.stage)) {
    // 0 for a stage the service has not reached (a per-service 0, so Grafana matches it by labels too).
    context[stage] = (matchers) =>
      `${S.stageActive}{stage="${stage}", ${matchers}} or group ${by(c, 'service')} (${S.stageActive}{${matchers}}) * 0`;
  }
  return [
    alert('CascadeInProgress', {
      // Per service: one service's cascade pages its own team only.
      expr: `count ${by(c, 'service')} (${S.stageActive}) >= ${num(c.cascade.minStages)}` + oneOfRequired(c),
      for: c.cascade.for,
      keepFiringFor: c.cascade.keepFiringFor,
      by: ['service'],
      needs: [...new Set(stageRules.flatMap((s) => s.needs))],
      summary: 'The cascade has started: several stages are active at once.',
      description: (x) =>
        `${x.value('number')} stages of the cascade of ${x.label('service')} are active at once (1 = active): ` +
        stageRules.map((s) => `${s.labels!.stage} ${x.context(s.labels!.stage, 'number')}`).join(', ') +
        `. Act on the earliest stage first: shed or rate-limit the traffic source, add database capacity ahead of time, ` +
        `pause background processing.`,
      context,
    }),
  ];
}
