import { colorManipulator, GrafanaTheme2 } from '@grafana/data';

/** Every colour the lanes draw with, from the Grafana theme, so dark and light both read well. */
export interface Palette {
  readonly traffic: string;
  /** Colours for the individual series when a lane shows several. */
  readonly series: readonly string[];
  readonly baseline: string;
  readonly band: string;
  readonly anomalyHigh: string;
  readonly anomalyLow: string;
  readonly backlog: string;
  readonly lag: string;
  readonly lagWorst: string;
  readonly utilization: string;
  readonly healthy: string;
  readonly desired: string;
  readonly minimum: string;
  readonly zero: string;
  readonly warning: string;
  readonly critical: string;
  readonly forecast: string;
  readonly deploy: string;
  /** Annotations without a colour of their own (Grafana's default annotation colour is blue). */
  readonly annotation: string;
  readonly future: string;
  readonly text: string;
  readonly textWeak: string;
  readonly grid: string;
  /** Behind labels drawn on the plot: the panel's background, so a line that must cross a label does not garble it. */
  readonly labelBackdrop: string;
  /** Canvas font strings, in CSS pixels (uPlot scales them for the device pixel ratio). */
  readonly font: string;
  readonly fontSmall: string;
}

export function makePalette(theme: GrafanaTheme2): Palette {
  const c = (name: string) => theme.visualization.getColorByName(name);
  const alpha = colorManipulator.alpha;
  const dark = theme.isDark;
  const family = theme.typography.fontFamily;
  return {
    traffic: c('blue'),
    series: ['green', 'purple', 'orange', 'yellow', 'red', 'blue'].map((n) => c(`semi-dark-${n}`)),
    baseline: alpha(theme.colors.text.secondary, 0.8),
    band: alpha(c('blue'), dark ? 0.14 : 0.12),
    anomalyHigh: alpha(theme.colors.error.main, dark ? 0.18 : 0.14),
    anomalyLow: alpha(theme.colors.warning.main, dark ? 0.18 : 0.16),
    backlog: c('orange'),
    lag: alpha(c('purple'), 0.7),
    lagWorst: c('purple'),
    utilization: alpha(theme.colors.text.secondary, 0.7),
    healthy: c('green'),
    desired: theme.colors.text.secondary,
    minimum: c('yellow'),
    zero: theme.colors.error.main,
    warning: theme.colors.warning.main,
    critical: theme.colors.error.main,
    forecast: theme.colors.text.primary,
    deploy: c('purple'),
    annotation: c('blue'),
    future: alpha(theme.colors.text.primary, dark ? 0.04 : 0.035),
    text: theme.colors.text.primary,
    textWeak: theme.colors.text.secondary,
    grid: theme.colors.border.weak,
    labelBackdrop: theme.colors.background.primary,
    font: `12px ${family}`,
    fontSmall: `11px ${family}`,
  };
}
