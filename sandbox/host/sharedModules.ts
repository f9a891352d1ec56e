/**
 * Which externals the host supplies to a plugin, by name, apart from the modules themselves (which
 * need a browser): hostModules.ts must provide exactly these (the compiler holds it to this list),
 * and the unit tests hold the list against the externals the scaffold's webpack config declares.
 */

export const SUPPLIED_MODULES = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom/client',
  '@grafana/data',
  '@grafana/data/unstable',
  '@grafana/ui',
  '@grafana/ui/unstable',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
  '@emotion/css',
  'emotion',
  '@emotion/react',
  'rxjs',
  'rxjs/operators',
  'lodash',
  'moment',
  'i18next',
  'jquery',
  'd3',
  'prismjs',
  'react-inlinesvg',
  'react-redux',
  'redux',
  'react-router-dom',
] as const;

export type SuppliedModule = (typeof SUPPLIED_MODULES)[number];

/**
 * Externals the scaffold declares that the host deliberately does not supply, and why. A plugin
 * that asks for one gets a MissingHostModulesError naming it.
 */
export const NOT_SUPPLIED: Readonly<Record<string, string>> = {
  angular: 'AngularJS support was removed in Grafana 12.',
  slate: 'The legacy query-editor stack; Grafana 12 keeps it only for old plugins.',
  'slate-plain-serializer': 'Part of the legacy slate stack.',
  '@grafana/slate-react': 'Part of the legacy slate stack.',
  'react-router': 'Grafana maps it to react-router-dom-v5-compat (the v6 API), which is not installed here.',
};
