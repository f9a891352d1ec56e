import { REASON_TEMPLATES, Reason, StatusLevel, fillTemplate } from '../model/status';
import { reasonText, statusWord } from './strings';

// A stand-in "language": every text upper-cased after interpolation, so a string that bypassed t() stays lower.
jest.mock('@grafana/i18n', () => ({
  t: (_key: string, english: string, values: Record<string, unknown> = {}) =>
    english.replace(/\{\{(\w+)\}\}/g, (_m: string, k: string) => String(values[k])).toUpperCase(),
}));

describe('the panel’s words go through @grafana/i18n', () => {
  it('translates every status word', () => {
    expect(
      [StatusLevel.Operational, StatusLevel.Degraded, StatusLevel.Partial, StatusLevel.Major].map(statusWord)
    ).toEqual(['OPERATIONAL', 'DEGRADED PERFORMANCE', 'PARTIAL OUTAGE', 'MAJOR OUTAGE']);
  });

  it('translates a reason by its id, with the values the model formatted', () => {
    const values = { node: 'db-primary', eta: '14 min' };
    const reason: Reason = {
      stage: 'backlog',
      level: StatusLevel.Degraded,
      id: 'node-saturation-eta',
      values,
      text: fillTemplate(REASON_TEMPLATES['node-saturation-eta'], values),
    };
    expect(reason.text).toBe('db-primary saturated in 14 min');
    expect(reasonText(reason)).toBe('DB-PRIMARY SATURATED IN 14 MIN');
  });

  it('fills every template from its own placeholders only', () => {
    for (const template of Object.values(REASON_TEMPLATES)) {
      const names = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
      const filled = fillTemplate(template, Object.fromEntries(names.map((n) => [n, `<${n}>`])));
      expect(filled).not.toMatch(/\{\{/);
      expect(fillTemplate(template, {})).toBe(template);
    }
  });
});
