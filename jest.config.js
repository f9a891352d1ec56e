// Tests run in UTC so that times in the incident timelines read the same everywhere.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// The scaffold transforms .ts/.tsx with swc but sets no target, so tests ran ES5 down-levelled code (loops over
// typed arrays several times slower than what Node runs); Node 20 runs ES2022 as it is. d3-color (pulled in by
// @grafana/data) ships .mjs too.
const [swc, swcOptions] = base.transform['^.+\\.(t|j)sx?$'];
const swcEs2022 = [swc, { ...swcOptions, jsc: { ...swcOptions.jsc, target: 'es2022' } }];
const transform = {
  '^.+\\.(t|j)sx?$': swcEs2022,
  '^.+\\.mjs$': swcEs2022,
};

module.exports = {
  projects: [
    {
      // The panel and its model: React components under jsdom, uPlot on a mocked canvas (see jest-setup.js).
      ...base,
      displayName: 'panel',
      transform,
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/contract/**/*.test.ts'],
    },
    {
      // The simulator, the rule pack and the project's scripts: plain Node.
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns: base.transformIgnorePatterns,
      testMatch: [
        '<rootDir>/config/**/*.test.ts',
        '<rootDir>/lib/**/*.test.ts',
        '<rootDir>/simulator/**/*.test.ts',
        '<rootDir>/alerts/**/*.test.ts',
        '<rootDir>/dashboards/**/*.test.ts',
        '<rootDir>/demo/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/sandbox/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
    },
    {
      // Browser tests: the built plugin in headless Chromium through the host page (needs `npm run build`), and
      // the end-to-end test of the local stack, which ends in that page too.
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/sandbox/**/*.browser.test.ts', '<rootDir>/demo/**/*.browser.test.ts'],
    },
  ],
};
