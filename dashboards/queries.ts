/**
 * The PromQL a rendered dashboard runs, read from its JSON as Grafana would: panel targets, annotation
 * queries and variable queries. For tests that check the queries (names, syntax) and for end-to-end tests
 * that run them against a Prometheus with the pack loaded.
 */

export interface DashboardQuery {
  /** Panel title, or `annotation: <name>` for an annotation query. */
  title: string;
  /** The target's refId (an annotation's name for an annotation query). */
  refId: string;
  expr: string;
  /** An instant query (stat panels) rather than a range query. */
  instant: boolean;
}

export interface VariableQuery {
  name: string;
  /** `label_values(<selector>, <label>)` */
  query: string;
}

interface DashboardJson {
  panels?: Array<{ title?: string; targets?: Array<{ refId?: string; expr?: string; instant?: boolean }> }>;
  annotations?: { list?: Array<{ name?: string; expr?: string }> };
  templating?: { list?: Array<{ type?: string; name?: string; definition?: string }> };
}

/** Every PromQL expression of a dashboard's panels and annotations, in dashboard order. */
export function dashboardQueries(dashboard: unknown): DashboardQuery[] {
  const d = dashboard as DashboardJson;
  const out: DashboardQuery[] = [];
  for (const panel of d.panels ?? []) {
    for (const t of panel.targets ?? []) {
      if (t.expr) {
        out.push({ title: panel.title ?? '', refId: t.refId ?? '', expr: t.expr, instant: t.instant === true });
      }
    }
  }
  for (const a of d.annotations?.list ?? []) {
    if (a.expr) {
      out.push({ title: `annotation: ${a.name ?? ''}`, refId: a.name ?? '', expr: a.expr, instant: false });
    }
  }
  return out;
}

/** The dashboard's query variables (`label_values(...)`), in the order Grafana resolves them. */
export function variableQueries(dashboard: unknown): VariableQuery[] {
  const d = dashboard as DashboardJson;
  return (d.templating?.list ?? [])
    .filter((v) => v.type === 'query' && v.definition)
    .map((v) => ({ name: v.name ?? '', query: v.definition ?? '' }));
}

/** The selector and label of a `label_values(selector, label)` query, or null for any other query. */
export function parseLabelValues(query: string): { selector: string; label: string } | null {
  const m = /^label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(query.trim());
  return m ? { selector: m[1], label: m[2] } : null;
}

/**
 * `expr` with Grafana's variables replaced: `$name` and `${name}` / `${name:format}` by `values[name]`;
 * `$__rate_interval` and `$__interval` by `rateInterval` (what Grafana would pick for a 15 s scrape interval).
 * An unknown variable is an error, so a test cannot run a query Grafana would not.
 */
export function substituteVariables(expr: string, values: Record<string, string>, rateInterval = '1m'): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    if (name === '__rate_interval' || name === '__interval') {
      return rateInterval;
    }
    if (!(name in values)) {
      throw new Error(`no value for the dashboard variable $${name} in: ${expr}`);
    }
    return values[name];
  });
}
