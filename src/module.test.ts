import { initHostRegistries } from '../sandbox/host/registries';
import { DEFAULT_OPTIONS } from './defaults';
import { plugin } from './module';

interface Recorded {
  path: string;
  defaultValue?: unknown;
  category?: string[];
}

/**
 * Runs the plugin's options builder against a recorder (Grafana's own builder needs the app's editor
 * registry) and collects each option's default, nested by path, as Grafana does for a new panel.
 */
function recordOptions(): Recorded[] {
  const items: Recorded[] = [];
  const recorder: Record<string, unknown> = new Proxy(
    {},
    {
      get: (_target, method) => (config: Recorded) => {
        if (typeof method === 'string' && method.startsWith('add')) {
          items.push(config);
        }
        return recorder;
      },
    }
  );
  plugin.getPanelOptionsSupplier()(recorder as never, { data: [] });
  return items;
}

function nest(items: Recorded[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const keys = item.path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      node = (node[k] = (node[k] as Record<string, unknown>) ?? {}) as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = item.defaultValue;
  }
  return out;
}

describe('the plugin', () => {
  it('offers an editor for every option, with the model\u2019s defaults', () => {
    expect(nest(recordOptions())).toEqual(DEFAULT_OPTIONS);
  });

  it('groups every option under a category of the editor', () => {
    expect(recordOptions().every((o) => o.category && o.category.length === 1)).toBe(true);
  });

  it('registers the standard field options it honours, and not those that mean nothing here', () => {
    // Grafana fills the standard field options at start-up; the host page does the same.
    initHostRegistries();
    const registered = plugin.fieldConfigRegistry.list().map((item) => item.id);
    expect(registered).toEqual(
      expect.arrayContaining(['unit', 'decimals', 'min', 'max', 'color', 'thresholds', 'displayName', 'links'])
    );
    expect(registered).not.toContain('mappings');
    // "Hide in area", as the time series panel registers it.
    expect(registered).toContain('custom.hideFrom');
  });

  it('is a panel plugin with the Cascade panel', () => {
    expect(plugin.panel).toBeDefined();
  });
});
