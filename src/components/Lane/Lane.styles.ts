import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  lane: css({
    position: 'relative',
  }),
  title: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    minWidth: 0,
    overflow: 'hidden',
  }),
  name: css({
    flex: 'none',
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
  }),
  callout: css({
    flex: 'none',
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightMedium,
  }),
  warning: css({ color: theme.colors.warning.text }),
  critical: css({ color: theme.colors.error.text }),
  info: css({ color: theme.colors.text.secondary }),
  legend: css({
    flex: '1 1 auto',
    display: 'flex',
    justifyContent: 'flex-end',
    gap: theme.spacing(1),
    minWidth: 0,
    overflow: 'hidden',
  }),
  legendItem: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    color: theme.colors.text.secondary,
  }),
  legendButton: css({
    background: 'none',
    border: 'none',
    padding: 0,
    font: 'inherit',
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.primary },
  }),
  legendHidden: css({
    opacity: 0.45,
  }),
  legendLabel: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    maxWidth: 180,
  }),
  swatch: css({
    flex: 'none',
    width: 14,
    height: 0,
    borderTop: '2px solid',
  }),
  swatchDashed: css({
    borderTopStyle: 'dashed',
  }),
});
