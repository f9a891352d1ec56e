import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: 10,
    pointerEvents: 'none',
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  annotation: css({
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(0.5),
    overflowWrap: 'anywhere',
  }),
  annotationMark: css({
    flex: 'none',
    width: 6,
    height: 6,
    background: theme.visualization.getColorByName('blue'),
  }),
  pinned: css({
    pointerEvents: 'auto',
    borderColor: theme.colors.border.medium,
  }),
  links: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
    marginTop: theme.spacing(0.75),
    paddingTop: theme.spacing(0.5),
    borderTop: `1px solid ${theme.colors.border.weak}`,
  }),
  link: css({
    color: theme.colors.text.link,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  hint: css({
    marginTop: theme.spacing(0.5),
    color: theme.colors.text.disabled,
    fontSize: '10px',
  }),
  time: css({
    fontWeight: theme.typography.fontWeightMedium,
    marginBottom: theme.spacing(0.5),
  }),
  lane: css({
    marginTop: theme.spacing(0.5),
    color: theme.colors.text.secondary,
    textTransform: 'uppercase',
    fontSize: '10px',
    letterSpacing: '0.04em',
  }),
  row: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    lineHeight: '18px',
  }),
  label: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: theme.colors.text.secondary,
  }),
  value: css({
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  }),
});
