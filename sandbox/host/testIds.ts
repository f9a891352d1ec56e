/** data-testid values of the host page itself (the panel's own ids live in src/testIds.ts). */
export const HostTestIds = {
  controlBar: 'sandbox-controls',
  casePicker: 'sandbox-case',
  themeToggle: 'sandbox-theme',
  sizePicker: 'sandbox-size',
  errorBox: 'sandbox-errors',
  /** The chrome around the panel: title bar plus body. */
  panelChrome: 'sandbox-panel',
  panelTitle: 'sandbox-panel-title',
  /** The panel body: exactly width x height CSS pixels, the size the panel is told. */
  panelBody: 'sandbox-panel-body',
} as const;
