/**
 * The demo's Prometheus and Alertmanager configurations as text, from the pack's rendered files: no I/O, so
 * the one renderer (config/render.ts) can derive the checked-in demo files from what it renders in the same run.
 */
import YAML from 'yaml';

/** The pack's recording rules that read raw series only: the ones a backfill can compute from raw history. */
export function firstLevelRecordingRulesOf(rulesText: string): { groups: unknown[] } {
  const rules = YAML.parse(rulesText) as {
    groups: Array<{ name: string; interval?: string; rules: Array<Record<string, unknown>> }>;
  };
  const groups = rules.groups
    .map((g) => ({
      name: g.name,
      ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.filter((r) => typeof r.record === 'string' && !String(r.expr).includes('cascade:')),
    }))
    .filter((g) => g.rules.length > 0);
  return { groups };
}

/**
 * Prometheus scraping the simulator, evaluating `rulesFile`, alerting to Alertmanager. The scraped series get
 * no `job` label and no target `instance` label (`honor_labels` keeps the databases' own `instance`): the
 * backfilled history has neither, and one series per signal must run from the history into the live data.
 */
export function prometheusConfig(o: {
  scrapeInterval: string;
  simulator: string;
  alertmanager: string;
  rulesFile: string | null;
}): Record<string, unknown> {
  const [host] = o.simulator.split(':');
  return {
    global: { scrape_interval: o.scrapeInterval, evaluation_interval: '1m' },
    scrape_configs: [
      {
        job_name: 'cascade-sim',
        honor_labels: true,
        static_configs: [{ targets: [o.simulator] }],
        metric_relabel_configs: [
          {
            source_labels: ['instance'],
            regex: `${host.replace(/\./g, '\\.')}:\\d+`,
            target_label: 'instance',
            replacement: '',
          },
          { action: 'labeldrop', regex: 'job' },
        ],
      },
    ],
    rule_files: o.rulesFile ? [o.rulesFile] : [],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }] },
  };
}

/**
 * The pack's Alertmanager config with every receiver delivering to the stack's webhook, so the demo shows
 * the pack's own routes, grouping and inhibitions at work.
 */
export function alertmanagerConfigOf(exampleText: string, webhookUrl: string): string {
  const config = YAML.parse(exampleText) as {
    receivers?: Array<{ name: string }>;
    route?: Record<string, unknown>;
  };
  config.receivers = (config.receivers ?? [{ name: 'default' }]).map((r) => ({
    name: r.name,
    webhook_configs: [{ url: webhookUrl, send_resolved: true }],
  }));
  // Deliver at once in the demo: the example's group_wait is for people's inboxes.
  config.route = { ...config.route, group_wait: '5s', group_interval: '30s' };
  return YAML.stringify(config);
}
