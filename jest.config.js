// Tests run in UTC so that times in the incident timelines read the same everywhere.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// The scaffold transforms .ts/.tsx with swc; d3-color (pulled in by @grafana/data) ships .mjs too.
const transform = {
  ...base.transform,
  '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
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
        '<rootDir>/simulator/**/*.test.ts',
        '<rootDir>/alerts/**/*.test.ts',
        '<rootDir>/dashboards/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/sandbox/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
    },
    {
      // Browser tests: the built plugin in headless Chromium through the host page (needs `npm run build`).
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/sandbox/**/*.browser.test.ts'],
    },
  ],
};
