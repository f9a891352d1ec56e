import { DEFAULT_PARAMS, formatHostParams, parseHostParams, SIZE_PRESETS } from './params';

describe('parseHostParams', () => {
  test('falls back to the defaults for an empty query', () => {
    expect(parseHostParams('')).toEqual({ params: DEFAULT_PARAMS, problems: [] });
  });

  test('reads case, theme, size, mode and plugin', () => {
    expect(
      parseHostParams('?case=zero-healthy&theme=light&width=400&height=220&mode=bench&plugin=sandbox-probe-panel')
    ).toEqual({
      params: {
        caseName: 'zero-healthy',
        theme: 'light',
        width: 400,
        height: 220,
        mode: 'bench',
        sync: 'off',
        plugin: 'sandbox-probe-panel',
      },
      problems: [],
    });
  });

  test('reads the dashboard\u2019s cursor sync, off by default as in Grafana, and rejects others', () => {
    expect(parseHostParams('?sync=tooltip').params.sync).toBe('tooltip');
    expect(parseHostParams('').params.sync).toBe('off');
    expect(parseHostParams('?sync=2').problems).toEqual([
      'URL parameter sync="2" is not one of off, crosshair, tooltip; using off.',
    ]);
    expect(formatHostParams({ ...DEFAULT_PARAMS, sync: 'crosshair' })).toContain('sync=crosshair');
  });

  test('rejects bad values one by one, naming the parameter, and keeps the defaults for them', () => {
    const { params, problems } = parseHostParams('?theme=blue&width=12.5&height=-3&mode=fast&plugin=../etc');
    expect(params).toEqual(DEFAULT_PARAMS);
    expect(problems).toEqual([
      'URL parameter theme="blue" is not one of dark, light; using dark.',
      'URL parameter mode="fast" is not one of panel, bench; using panel.',
      'URL parameter width="12.5" must be a whole number of pixels from 50 to 4000; using 1000.',
      'URL parameter height="-3" must be a whole number of pixels from 50 to 4000; using 600.',
      'URL parameter plugin="../etc" is not a plugin id (lower-case letters, digits, dashes); loading the built plugin.',
    ]);
  });

  test('treats sizes outside the limits and non-numbers as problems', () => {
    expect(parseHostParams('?width=49').problems).toHaveLength(1);
    expect(parseHostParams('?width=4001').problems).toHaveLength(1);
    expect(parseHostParams('?height=abc').problems).toHaveLength(1);
    expect(parseHostParams('?width=50&height=4000').problems).toEqual([]);
  });

  test('ignores blank values', () => {
    expect(parseHostParams('?case=%20&theme=&width=').params).toEqual(DEFAULT_PARAMS);
  });
});

describe('formatHostParams', () => {
  test('round-trips through parseHostParams', () => {
    const params = {
      caseName: 'backlog-limit',
      theme: 'light' as const,
      width: 640,
      height: 480,
      mode: 'panel' as const,
      sync: 'tooltip' as const,
    };
    expect(parseHostParams(formatHostParams(params))).toEqual({ params, problems: [] });
    const withPlugin = { ...params, mode: 'bench' as const, plugin: 'sandbox-probe-panel' };
    expect(parseHostParams(formatHostParams(withPlugin)).params).toEqual(withPlugin);
  });

  test('leaves the default mode out of the URL', () => {
    expect(formatHostParams(DEFAULT_PARAMS)).toBe('?case=ordinary-day&theme=dark&width=1000&height=600');
  });
});

test('the size presets start with the two sizes the browser tests use, all within the limits', () => {
  expect(SIZE_PRESETS.slice(0, 2).map((p) => [p.width, p.height])).toEqual([
    [1000, 600],
    [400, 220],
  ]);
  for (const preset of SIZE_PRESETS) {
    expect(parseHostParams(`?width=${preset.width}&height=${preset.height}`).problems).toEqual([]);
  }
});
