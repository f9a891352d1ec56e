import { makeBootData } from './boot';

// That @grafana/runtime accepts it (its config.theme2 follows the URL's theme) is checked in the page
// itself by host.browser.test.ts: the runtime cannot be imported in this Node project.
test.each(['dark', 'light'] as const)('%s boot data names the theme and a UTC user', (theme) => {
  const boot = makeBootData(theme, 'http://127.0.0.1:3001');
  expect(boot.user).toMatchObject({ theme, lightTheme: theme === 'light', timezone: 'utc' });
  expect(boot.settings.appUrl).toBe('http://127.0.0.1:3001/');
  expect(boot.settings.featureToggles).toEqual({});
});
