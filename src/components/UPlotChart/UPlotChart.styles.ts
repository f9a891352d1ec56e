import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

/**
 * The part of uPlot's stylesheet (uplot/dist/uPlot.min.css) the panel needs, scoped to the chart's container
 * and injected by emotion: a plugin may not import CSS files (the plugin validator's no-direct-css-imports
 * rule), and the panel turns off uPlot's title and legend, so their rules are left out. The crosshair takes
 * the theme's colour instead of uPlot's fixed grey.
 */
export const getStyles = (theme: GrafanaTheme2) => ({
  chart: css({
    '& .uplot, & .uplot *, & .uplot *::before, & .uplot *::after': { boxSizing: 'border-box' },
    '& .uplot': { lineHeight: 1.5, width: 'min-content' },
    '& .u-wrap': { position: 'relative', userSelect: 'none' },
    '& .u-over, & .u-under': { position: 'absolute' },
    '& .u-under': { overflow: 'hidden' },
    '& .uplot canvas': { display: 'block', position: 'relative', width: '100%', height: '100%' },
    '& .u-axis': { position: 'absolute' },
    '& .u-select': { background: theme.colors.action.selected, position: 'absolute', pointerEvents: 'none' },
    '& .u-cursor-x, & .u-cursor-y': {
      position: 'absolute',
      left: 0,
      top: 0,
      pointerEvents: 'none',
      willChange: 'transform',
    },
    '& .u-hz .u-cursor-x': { height: '100%', borderRight: `1px dashed ${theme.colors.text.secondary}` },
    '& .u-hz .u-cursor-y': { width: '100%', borderBottom: `1px dashed ${theme.colors.text.secondary}` },
    '& .u-axis.u-off, & .u-select.u-off, & .u-cursor-x.u-off, & .u-cursor-y.u-off': { display: 'none' },
  }),
});
