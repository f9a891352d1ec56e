import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventsForRun, listScenarios, loadScenario, parseScenario, ScenarioError } from './load';
import { parseDuration, parseTimeSpec, toIso } from './time';

const ANCHOR = Date.UTC(2020, 1, 4) / 1000;

describe('time specs', () => {
  it.each([
    ['21:02', '2020-02-04T21:02:00Z'],
    ['21:02:30', '2020-02-04T21:02:30Z'],
    ['+1d 02:01', '2020-02-05T02:01:00Z'],
    ['-1d 23:00', '2020-02-03T23:00:00Z'],
    ['+45m', '2020-02-04T00:45:00Z'],
    ['+1d2h30m', '2020-02-05T02:30:00Z'],
    ['anchor', '2020-02-04T00:00:00Z'],
    ['anchor-21d', '2020-01-14T00:00:00Z'],
    ['anchor+26h', '2020-02-05T02:00:00Z'],
    ['2020-02-04T21:02:00Z', '2020-02-04T21:02:00Z'],
    ['2020-02-04T22:02:00+01:00', '2020-02-04T21:02:00Z'],
  ])('%s resolves to %s', (spec, iso) => {
    expect(toIso(parseTimeSpec(spec, ANCHOR)!)).toBe(iso);
  });

  it.each(['9pm', '25:00', '21:60', '', 'anchor*2', '+5x', '2020-02-04T21:02:00', 'tomorrow'])('rejects %j', (spec) => {
    expect(parseTimeSpec(spec, ANCHOR)).toBeUndefined();
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('3w')).toBe(21 * 86_400);
    expect(parseDuration('1.5m')).toBe(90);
    expect(parseDuration('ten minutes')).toBeUndefined();
    expect(parseDuration('-5m')).toBeUndefined();
  });
});

describe('built-in scenarios', () => {
  const names = listScenarios().map((s) => s.name);

  it('include the incidents and the ordinary days the rule pack must stay quiet on', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'normal-week',
        'cloudsmith-2020-02-04',
        'crates-io-2023-07-20',
        'busy-peak',
        'organic-growth',
        'nightly-batch',
        'routine-deploy',
        'planned-scale-down',
      ])
    );
  });

  it.each(listScenarios().map((s) => s.name))('%s loads, with a description and a window', (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(s.description.length).toBeGreaterThan(10);
    expect(s.window.to).toBeGreaterThan(s.window.from);
  });

  it("anchor the incidents on the reports' days", () => {
    expect(toIso(loadScenario('cloudsmith-2020-02-04').anchor)).toBe('2020-02-04T00:00:00Z');
    expect(toIso(loadScenario('crates-io-2023-07-20').anchor)).toBe('2023-07-20T00:00:00Z');
  });

  it('expand repeating events over a run, before and after their first time', () => {
    const s = loadScenario('nightly-batch');
    const events = eventsForRun(s, s.anchor - 3 * 86_400, s.anchor + 2 * 86_400);
    const starts = events.filter((e) => e.type === 'batch').map((e) => toIso(e.start));
    // From a day before the run's start (a job may still be running at `from`) to its end.
    expect(starts).toEqual([
      '2024-03-01T02:00:00Z',
      '2024-03-02T02:00:00Z',
      '2024-03-03T02:00:00Z',
      '2024-03-04T02:00:00Z',
      '2024-03-05T02:00:00Z',
      '2024-03-06T02:00:00Z',
    ]);
  });
});

describe('bad scenarios get a message naming the file, the field and what was expected', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-sim-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const base = "description: test\nanchor: '2020-02-04T00:00:00Z'\n";
  const errorOf = (file: string) => {
    try {
      loadScenario(file);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error('expected a ScenarioError');
  };

  it('an event time that is not one', () => {
    const file = write(
      'x.yaml',
      `${base}events:\n  - { type: deploy, at: '21:00', version: v2 }\n  - { type: scale, at: '22:00', desired: 3 }\n  - { type: scale, at: 9pm, desired: 3 }\n`
    );
    expect(errorOf(file)).toBe(
      `${file}: events[2].at: expected a time such as "21:02", "+1d 02:01", "+45m", "anchor-21d" or an ISO time such as "2020-02-04T21:02:00Z", got "9pm"`
    );
  });

  it('a missing field', () => {
    expect(errorOf(write('m.yaml', "anchor: '2020-02-04T00:00:00Z'\n"))).toMatch(
      /m\.yaml: description: missing: expected string/
    );
  });

  it('a wrong type, a null and a NaN-like value', () => {
    expect(errorOf(write('t.yaml', `${base}service: { database: { primaryCapacity: lots } }\n`))).toMatch(
      /t\.yaml: service\.database\.primaryCapacity: expected number, got "lots"/
    );
    expect(errorOf(write('n.yaml', `${base}service: { instances: { desired: null } }\n`))).toMatch(
      /n\.yaml: service\.instances\.desired: expected number, got null/
    );
    expect(
      errorOf(write('nan.json', JSON.stringify({ description: 'x', anchor: '2020-02-04T00:00:00Z', seed: -1 })))
    ).toMatch(/nan\.json: seed: .*got -1/);
  });

  it('an unknown event type and an unknown field', () => {
    expect(errorOf(write('u.yaml', `${base}events:\n  - { type: explode, at: '21:00' }\n`))).toMatch(
      /u\.yaml: events\[0\]\.type: expected an event with type one of surge, deploy, add-replicas, scale, batch, restart/
    );
    expect(errorOf(write('k.yaml', `${base}servce: {}\n`))).toMatch(/k\.yaml: unknown field "servce"/);
  });

  it('an end before its start, a bad anchor, broken YAML, a file that is not a mapping', () => {
    expect(
      errorOf(
        write('e.yaml', `${base}events:\n  - { type: surge, at: '21:00', until: '20:00', routes: { download: 2 } }\n`)
      )
    ).toMatch(/e\.yaml: events\[0\]\.until: expected a time after at/);
    expect(errorOf(write('a.yaml', 'description: x\nanchor: yesterday\n'))).toMatch(
      /a\.yaml: anchor: expected an ISO UTC time such as "2020-02-04T00:00:00Z", got "yesterday"/
    );
    expect(errorOf(write('b.yaml', 'description: [unclosed\n'))).toMatch(/b\.yaml: not valid YAML/);
    expect(errorOf(write('l.yaml', '- 1\n- 2\n'))).toMatch(/l\.yaml: expected a mapping/);
  });

  it('unknown names and missing files', () => {
    expect(() => loadScenario('cloudsmith')).toThrow(
      /unknown scenario "cloudsmith": expected one of .*cloudsmith-2020-02-04/
    );
    expect(() => loadScenario(path.join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: no such scenario file/);
  });

  it('validates objects given in code too', () => {
    expect(() => parseScenario({ description: 'x', anchor: '2020-02-04T00:00:00Z', events: 'none' }, 'inline')).toThrow(
      /inline: events: expected array, got "none"/
    );
  });
});

describe('what the model can run', () => {
  const base = { description: 'bounds', anchor: '2024-03-06T00:00:00Z' };

  it.each([
    [
      { events: [{ type: 'batch', at: '01:00', every: '0.001s', for: '1m', writeRate: 10 }] },
      /events\[0\]\.every: expected a duration from 1h to 366d/,
    ],
    [
      { events: [{ type: 'batch', at: '01:00', for: '0.001s', writeRate: 10 }] },
      /events\[0\]\.for: expected a duration from 5s to 30d/,
    ],
    [
      { events: [{ type: 'surge', at: '01:00', routes: { api: 2 }, rampMinutes: 1e-9 }] },
      /events\[0\]\.rampMinutes: expected at least 0\.0833 minutes/,
    ],
    [
      { events: [{ type: 'deploy', at: '01:00', version: 'v2', blip: { percent: 5, minutes: 1e9 } }] },
      /events\[0\]\.blip\.minutes: expected at most 43200 minutes/,
    ],
    [
      { events: [{ type: 'deploy', at: '01:00', version: 'v2', rampMinutes: 1e-6 }] },
      /events\[0\]\.rampMinutes: expected 0 \(at once\) or/,
    ],
    [
      { service: { instances: { healthCheckIntervalSeconds: 1e-9 } } },
      /service\.instances\.healthCheckIntervalSeconds: /,
    ],
  ])('refuses %j with the field and the range', (fields, message) => {
    expect(() => parseScenario({ ...base, ...fields }, 'bounds.yaml')).toThrow(ScenarioError);
    expect(() => parseScenario({ ...base, ...fields }, 'bounds.yaml')).toThrow(message);
  });

  it('still accepts the longest and shortest values the limits name', () => {
    const s = parseScenario(
      {
        ...base,
        events: [
          { type: 'batch', at: '01:00', every: '1h', for: '5s', writeRate: 10 },
          { type: 'surge', at: '02:00', every: '366d', routes: { api: 2 }, rampMinutes: 5 / 60, fallMinutes: 43_200 },
        ],
      },
      'bounds.yaml'
    );
    expect(s.events.map((e) => e.period)).toEqual([3600, 366 * 86_400]);
  });

  it.each([
    ['deep.json', (d: number) => `{"description": ${'['.repeat(d)}${']'.repeat(d)}}`],
    [
      'deep-service.json',
      (d: number) =>
        `{"description": "x", "anchor": "2024-03-06T00:00:00Z", "service": ${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`,
    ],
    ['deep.yaml', (d: number) => `description: ${'['.repeat(d)}${']'.repeat(d)}\n`],
  ])('a deeply nested %s is an error that names the file, not a stack overflow', (name, text) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-deep-'));
    try {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text(20_000));
      let error: unknown;
      try {
        loadScenario(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toMatch(/nested more than/);
      expect((error as Error).message).not.toMatch(/call stack/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
