import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import React from 'react';

import type { CaseSummary } from '../cases/types';
import { formatHostParams, HostParams, SIZE_PRESETS } from './params';
import { HostTestIds } from './testIds';

interface ControlBarProps {
  readonly params: HostParams;
  readonly cases: readonly CaseSummary[];
  readonly sourceId: string;
  readonly theme: GrafanaTheme2;
}

/**
 * The page's controls for people. Every change is a navigation to a new URL: the URL is the single
 * source of truth (the tests drive the page the same way), and the theme must be known before
 * @grafana/runtime loads.
 */
export function ControlBar({ params, cases, sourceId, theme }: ControlBarProps) {
  const go = (next: Partial<HostParams>) => {
    window.location.search = formatHostParams({ ...params, ...next });
  };
  const sizeKey = `${params.width}x${params.height}`;
  const isPreset = SIZE_PRESETS.some((p) => `${p.width}x${p.height}` === sizeKey);
  const current = cases.find((c) => c.name === params.caseName);
  const styles = getStyles(theme);

  return (
    <nav className={styles.bar} data-testid={HostTestIds.controlBar} aria-label="Sandbox controls">
      <strong className={styles.brand}>Cascade Watch sandbox</strong>
      <label className={styles.field}>
        case ({sourceId})
        <select
          data-testid={HostTestIds.casePicker}
          value={params.caseName}
          onChange={(e) => go({ caseName: e.target.value })}
        >
          {!current && <option value={params.caseName}>{params.caseName} (unknown)</option>}
          {cases.map((c) => (
            <option key={c.name} value={c.name} title={c.description}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        size
        <select
          data-testid={HostTestIds.sizePicker}
          value={sizeKey}
          onChange={(e) => {
            const [width, height] = e.target.value.split('x').map(Number);
            go({ width, height });
          }}
        >
          {!isPreset && (
            <option value={sizeKey}>
              custom {params.width}×{params.height}
            </option>
          )}
          {SIZE_PRESETS.map((p) => (
            <option key={p.label} value={`${p.width}x${p.height}`}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={styles.button}
        data-testid={HostTestIds.themeToggle}
        onClick={() => go({ theme: params.theme === 'dark' ? 'light' : 'dark' })}
      >
        {params.theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
      {current && <span className={styles.description}>{current.description}</span>}
    </nav>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    bar: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(2),
      padding: theme.spacing(1, 0, 2),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      select: { marginLeft: theme.spacing(1), font: 'inherit' },
    }),
    brand: css({ color: theme.colors.text.primary }),
    field: css({ display: 'inline-flex', alignItems: 'center' }),
    button: css({ font: 'inherit', cursor: 'pointer' }),
    description: css({ flexBasis: '100%' }),
  };
}
