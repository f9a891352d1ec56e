import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { REASON_LINE_HEIGHT } from '../../plot/layout';

export const HEADER_HEIGHT = 32;
export const COMPACT_HEADER_HEIGHT = 24;

export const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: HEADER_HEIGHT,
    padding: theme.spacing(0, 0.5),
    minWidth: 0,
    position: 'relative',
  }),
  compact: css({
    height: COMPACT_HEADER_HEIGHT,
    gap: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  dot: css({
    flex: 'none',
    width: 10,
    height: 10,
    borderRadius: '50%',
    background: 'currentColor',
  }),
  status: css({
    flex: 'none',
    fontWeight: theme.typography.fontWeightBold,
    whiteSpace: 'nowrap',
  }),
  reasons: css({
    flex: '1 1 auto',
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: theme.colors.text.secondary,
  }),
  spacer: css({ flex: '1 1 auto' }),
  reasonLines: css({
    padding: theme.spacing(0, 0.5, 0, 3),
    color: theme.colors.text.secondary,
  }),
  reasonLine: css({
    height: REASON_LINE_HEIGHT,
    lineHeight: `${REASON_LINE_HEIGHT}px`,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  more: css({ color: theme.colors.text.disabled }),
  stage: css({
    flex: 'none',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
  }),
  chain: css({
    flex: 'none',
    display: 'flex',
    gap: 3,
  }),
  chainDot: css({
    width: 8,
    height: 8,
    borderRadius: '50%',
    border: `1px solid ${theme.colors.border.medium}`,
    background: 'transparent',
  }),
  chainDotActive: css({
    background: 'currentColor',
    borderColor: 'currentColor',
  }),
  srOnly: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
  operational: css({ color: theme.colors.success.text }),
  degraded: css({ color: theme.colors.warning.text }),
  partial: css({ color: theme.visualization.getColorByName('orange') }),
  major: css({ color: theme.colors.error.text }),
  noticeWrap: css({
    flex: 'none',
    position: 'relative',
  }),
  noticeButton: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: 'transparent',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0, 0.75),
    cursor: 'pointer',
  }),
  noticeList: css({
    position: 'absolute',
    right: 0,
    top: '100%',
    zIndex: 11,
    margin: 0,
    padding: theme.spacing(1, 1, 1, 3),
    width: 360,
    maxHeight: 200,
    overflow: 'auto',
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
});
