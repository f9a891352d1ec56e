/**
 * Incident replays: the simulator's scenarios through the whole pack with promtool, asserting what
 * docs/alerts.md asks for on both reports and on ordinary days, and that the README's results
 * tables are the ones these runs produce.
 *
 * All replays are queued at once (promtool runs at most two at a time); each test awaits its own.
 */
import { normalizeMarkdown } from '../docs';
import { INCIDENT_REQUIREMENTS, ordinaryDayBudget } from './expectations';
import { readmeSection, resultsMarkdown, updateReadme } from './report';
import { REPLAYS, replayScenario, type ScenarioResult } from './scenarios';

const TIMEOUT = 20 * 60_000;
const results = new Map<string, Promise<ScenarioResult>>();

function result(scenario: string): Promise<ScenarioResult> {
  let pending = results.get(scenario);
  if (pending === undefined) {
    pending = replayScenario(REPLAYS.find((r) => r.scenario === scenario)!);
    // A failure is reported by the test that awaits it, not as an unhandled rejection.
    pending.catch(() => undefined);
    results.set(scenario, pending);
  }
  return pending;
}

beforeAll(() => {
  for (const spec of REPLAYS) {
    result(spec.scenario);
  }
});

describe.each(Object.keys(INCIDENT_REQUIREMENTS))('%s', (scenario) => {
  it.each(INCIDENT_REQUIREMENTS[scenario].map((r) => [r.text, r] as const))(
    '%s',
    async (_text, requirement) => {
      const { ok, evidence } = requirement.check(await result(scenario));
      expect({ ok, evidence }).toEqual({ ok: true, evidence });
    },
    TIMEOUT
  );
});

describe.each(REPLAYS.filter((r) => r.kind === 'ordinary').map((r) => r.scenario))('ordinary days: %s', (scenario) => {
  it(
    'no critical alert, at most one warning a week',
    async () => {
      const budget = ordinaryDayBudget(await result(scenario));
      expect(budget.criticals.map((a) => `${a.alertname} ${JSON.stringify(a.labels)}`)).toEqual([]);
      expect(budget.warnings).toBeLessThanOrEqual(budget.allowed);
    },
    TIMEOUT
  );
});

describe('README', () => {
  it(
    "shows these replays' results (regenerate: CASCADE_UPDATE_README=1 with this test, or alerts/replay/cli.ts --update-readme)",
    async () => {
      const all = await Promise.all(REPLAYS.map((r) => result(r.scenario)));
      const markdown = resultsMarkdown(all);
      if (process.env.CASCADE_UPDATE_README === '1') {
        updateReadme(markdown);
      }
      expect(normalizeMarkdown(readmeSection() ?? '')).toEqual(normalizeMarkdown(markdown));
    },
    TIMEOUT
  );
});
