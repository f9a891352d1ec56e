/** Small constructors that keep the rule definitions short and uniform. */
import { CATALOGUE, type AlertName } from '../catalogue';
import type { CascadeConfig, InputSignal } from '../../config/schema';
import { labelList } from '../promql';
import type { AlertRule, RecordingRule, Template } from './model';

export function record(
  record: string,
  expr: string,
  options: { by: string[]; help: string; needs: InputSignal[]; labels?: Record<string, string> }
): RecordingRule {
  return { kind: 'record', record, expr, ...options };
}

export interface AlertSpec {
  expr: string;
  for: string;
  keepFiringFor?: string;
  patience?: string;
  by: string[];
  needs: InputSignal[];
  summary: string;
  description: Template;
  context?: AlertRule['context'];
  dashboard?: AlertRule['dashboard'];
}

/** An alert of the catalogue: its severity and stage come from there, never from the definition. */
export function alert(name: AlertName, spec: AlertSpec): AlertRule {
  const { severity, stage } = CATALOGUE[name];
  return { kind: 'alert', alert: name, severity, stage, dashboard: spec.dashboard ?? 'overview', ...spec };
}

/** Whether every signal a rule needs is enabled in the configuration. */
export function hasSignals(config: CascadeConfig, needs: InputSignal[]): boolean {
  return needs.every((key) => config.signals[key].enabled);
}

/** The alert's identity labels including the configured grouping labels. */
export function identityLabels(config: CascadeConfig, rule: Pick<AlertRule, 'by'>): string[] {
  return rule.by.length === 0 && config.groupingLabels.length === 0 ? [] : labelList(config, ...rule.by).split(', ');
}
