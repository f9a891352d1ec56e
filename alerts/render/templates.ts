/**
 * The two template dialects an annotation is rendered in. Prometheus evaluates context queries
 * itself (`query`); Grafana gets them as extra instant queries and reads `$values.<refId>`.
 */
import type { AlertRule, Format, TemplateWriter } from '../rules/model';

/** Go template pipeline stages that format a number (both Prometheus and Grafana have these). */
const FORMATTERS: Record<Format, string> = {
  number: 'humanize',
  percent: 'humanizePercentage',
  duration: 'humanizeDuration',
  factor: 'printf "%.1f"',
};

/** The alert's main query in Grafana; the math and threshold expressions follow it. */
export const GRAFANA_QUERY_REF = 'A';

/** Marks where a context query's label matchers go before each dialect fills them in. */
const MATCHERS_MARK = '\u0000';

/**
 * A context query for one dialect: the rule's PromQL with `matchers` in place, on one line,
 * aggregated to the alert's identity labels (so it carries no metric name and matches exactly).
 */
export function contextExpr(rule: AlertRule, name: string, matchers: string, identity: string[]): string {
  const build = rule.context?.[name];
  if (build === undefined) {
    throw new Error(`${rule.alert}: the description uses context "${name}", which the rule does not define`);
  }
  const expr = build(MATCHERS_MARK)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .split(MATCHERS_MARK)
    .join(matchers)
    // An empty matcher list leaves `{a="b", }` or `{}` behind: tidy both.
    .replace(/,\s*\}/g, '}')
    .replace(/\{\}/g, '');
  return `max by (${identity.join(', ')}) (${expr})`;
}

/** Escapes text for a double-quoted Go template string literal. */
function goString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Prometheus: `{{ with printf "expr{service=%q}" $labels.service | query }}...{{ end }}`, so
 * each context query selects the alert's own series.
 */
export function prometheusWriter(rule: AlertRule, identity: string[]): TemplateWriter {
  return {
    value: (format) => `{{ $value | ${FORMATTERS[format]} }}`,
    label: (name) => `{{ $labels.${name} }}`,
    context: (name, format) => {
      const slot = '\u0001';
      const matchers = identity.map((label) => `${label}=${slot}`).join(', ');
      // printf's format string: `%` in the PromQL itself must be doubled, each slot becomes %q.
      const pieces = contextExpr(rule, name, matchers, identity).replace(/%/g, '%%').split(slot);
      const args: string[] = [];
      for (let i = 0; i < pieces.length - 1; i++) {
        args.push(`$labels.${identity[i % identity.length]}`);
      }
      const query =
        args.length > 0
          ? `printf "${goString(pieces.join('%q'))}" ${args.join(' ')}`
          : `"${goString(pieces.join('').replace(/%%/g, '%'))}"`;
      return `{{ with ${query} | query }}{{ . | first | value | ${FORMATTERS[format]} }}{{ else }}n/a{{ end }}`;
    },
  };
}

/** Grafana: the main query's value is `$values.A`, each context query is its own refId. */
export function grafanaWriter(): TemplateWriter {
  return {
    value: (format) => `{{ $values.${GRAFANA_QUERY_REF}.Value | ${FORMATTERS[format]} }}`,
    label: (name) => `{{ $labels.${name} }}`,
    context: (name, format) => `{{ $values.${name}.Value | ${FORMATTERS[format]} }}`,
  };
}

/** Names of the context queries a description uses, in order of first use. */
export function contextsUsed(rule: AlertRule): string[] {
  const used: string[] = [];
  rule.description({
    value: () => '',
    label: () => '',
    context: (name) => {
      if (!used.includes(name)) {
        used.push(name);
      }
      return '';
    },
  });
  return used;
}
