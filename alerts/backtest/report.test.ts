/** The report's figures and its HTML, on a hand-made result. */
import { htmlReport } from './html';
import { alertFigures, diffPasses, incidentFindings, serviceFigures, terminalReport } from './report';
import type { BacktestResult } from './run';

const H = 3600;
const FROM = 1_700_000_000 - (1_700_000_000 % 86_400);
const WINDOW = { from: FROM, to: FROM + 14 * 86_400 };

function result(spans: Array<[string, Record<string, string>, number, number | null]>): BacktestResult {
  const names = ['CascadeTrafficSurge', 'CascadeWriteBacklogGrowing', 'CascadeInProgress'];
  return {
    window: WINDOW,
    stepSeconds: 60,
    alerts: names.map((alertname) => ({
      alertname,
      severity: alertname === 'CascadeInProgress' ? 'critical' : 'warning',
      stage: 'traffic',
      instances: spans
        .filter(([name]) => name === alertname)
        .map(([, labels, start, end]) => ({
          alertname,
          severity: 'warning',
          stage: 'traffic',
          labels,
          spans: [{ start: FROM + start, end: end === null ? null : FROM + end }],
        })),
    })),
    background: {
      traffic: [
        [FROM, 10],
        [FROM + 86_400, 12],
      ],
      backlog: [],
    },
    inputs: [{ signal: 'traffic', selectors: ['http_requests_total'], series: 6, from: FROM - 22 * 86_400 }],
    samples: { fetched: 1, recorded: 1 },
    seconds: { fetch: 0, rules: 0, alerts: 0 },
  };
}

const base = result([
  ['CascadeTrafficSurge', { service: 'api' }, 2 * H, 3 * H],
  ['CascadeTrafficSurge', { service: 'web' }, 30 * H, 30.5 * H],
  ['CascadeWriteBacklogGrowing', { cluster: 'main' }, 2.5 * H, 4 * H],
  // Still firing at the end of the window.
  ['CascadeInProgress', {}, -H, null],
]);

describe('figures', () => {
  it('counts firings, time firing within the window, per week and the longest', () => {
    const surge = alertFigures(base).find((f) => f.alertname === 'CascadeTrafficSurge')!;
    expect(surge).toMatchObject({ firings: 2, firingSeconds: 1.5 * H, perWeek: 1, longestSeconds: H });
    const cascade = alertFigures(base).find((f) => f.alertname === 'CascadeInProgress')!;
    expect(cascade.firingSeconds).toBe(14 * 86_400);
  });

  it('per service, then cluster, then the pack-wide alerts', () => {
    expect(serviceFigures(base).map((s) => [s.owner, s.firings])).toEqual([
      ['(pack-wide)', 1],
      ['cluster=main', 1],
      ['service=api', 1],
      ['service=web', 1],
    ]);
  });

  it('says which alert fired first in an incident window, and how long before its end', () => {
    const [finding] = incidentFindings(base, [{ from: FROM + 1.5 * H, to: FROM + 5 * H }]);
    expect(finding.first.map((f) => [f.alertname, (f.leadSeconds / H).toFixed(1)])).toEqual([
      ['CascadeInProgress', '6.0'],
      ['CascadeTrafficSurge', '3.0'],
      ['CascadeWriteBacklogGrowing', '2.5'],
    ]);
  });

  it('lists the firings a change adds and removes', () => {
    const after = result([
      ['CascadeTrafficSurge', { service: 'api' }, 2.2 * H, 2.8 * H],
      ['CascadeTrafficSurge', { service: 'api' }, 50 * H, 51 * H],
      ['CascadeInProgress', {}, -H, null],
    ]);
    const diff = diffPasses(base, after);
    expect(diff.added.map((c) => [c.alertname, c.span.start - FROM])).toEqual([['CascadeTrafficSurge', 50 * H]]);
    expect(diff.removed.map((c) => [c.alertname, c.labels])).toEqual([
      ['CascadeTrafficSurge', { service: 'web' }],
      ['CascadeWriteBacklogGrowing', { cluster: 'main' }],
    ]);
    expect(terminalReport({ result: base, incidents: [], changed: { sets: ['x.y=1'], result: after } })).toContain(
      'With x.y=1: 1 firing(s) added, 2 removed'
    );
  });
});

describe('the HTML report', () => {
  it('escapes every text from the data and loads nothing from elsewhere', () => {
    const hostile = result([['CascadeTrafficSurge', { service: '<script>alert(1)</script>"\'&' }, 2 * H, 3 * H]]);
    const html = htmlReport({
      result: hostile,
      incidents: [],
      title: 'T <b>',
      command: 'cascade-rules backtest --x "<y>"',
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(html).toContain('<title>T &lt;b&gt;</title>');
    expect(html).not.toMatch(/src=|href=|@import|url\(/);
    // One rectangle for the one firing.
    expect(html.match(/<rect [^>]*fill="#e8a33d"/g)).toHaveLength(1);
  });
});
