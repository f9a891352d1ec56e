import React from 'react';
import { render } from '@testing-library/react';
import { createTheme, DataFrame, dateTime, EventBusSrv, LoadingState, PanelProps, ThemeContext } from '@grafana/data';
import { CascadePanel } from '../components/CascadePanel/CascadePanel';
import { DEFAULT_OPTIONS } from '../defaults';
import { CascadeOptions } from '../types';

/** Full PanelProps as Grafana passes them, for frames over [from, to]. */
export function panelProps(
  series: DataFrame[] | unknown,
  from: number,
  to: number,
  overrides: Partial<PanelProps<CascadeOptions>> = {}
): PanelProps<CascadeOptions> {
  const timeRange = { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
  return {
    id: 1,
    data: { state: LoadingState.Done, series: series as DataFrame[], timeRange },
    timeRange,
    timeZone: 'utc',
    options: DEFAULT_OPTIONS,
    transparent: false,
    width: 900,
    height: 560,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Cascade',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
    ...overrides,
  };
}

export function renderPanel(props: PanelProps<CascadeOptions>, mode: 'dark' | 'light' = 'dark') {
  return render(
    <ThemeContext.Provider value={createTheme({ colors: { mode } })}>
      <CascadePanel {...props} />
    </ThemeContext.Provider>
  );
}
