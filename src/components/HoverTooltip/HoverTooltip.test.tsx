import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { cloudsmithAt, cloudsmithTimeline } from '../../__fixtures__/frames';
import { buildCascadeModel } from '../../model/cascade';
import { TestIds } from '../../testIds';
import { createHoverStore } from './hoverStore';
import { HoverTooltip } from './HoverTooltip';

const now = cloudsmithAt('22:40');
const model = buildCascadeModel(
  { series: cloudsmithTimeline(now), timeRange: { from: now - 3 * 3600_000, to: now } },
  {}
);

function source(left: number) {
  const over = document.createElement('div');
  return { over, cursor: { left, top: 20 } };
}

describe('HoverTooltip', () => {
  it('shows every signal at the hovered time, with units, for the lane under the pointer only', () => {
    const store = createHoverStore();
    store.attach(document.createElement('div'));
    render(<HoverTooltip store={store} model={model} timeZone="utc" panelWidth={900} panelHeight={500} />);
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();

    // Synced lanes all report the cursor; only the lane the pointer is in places the tooltip.
    act(() => store.cursorMoved('database', cloudsmithAt('22:30'), source(300)));
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();
    act(() => {
      store.enterLane('database');
      store.cursorMoved('database', cloudsmithAt('22:30'), source(300));
    });
    const tooltip = screen.getByTestId(TestIds.tooltip);
    expect(tooltip).toHaveTextContent('2020-02-04 22:30:00');
    expect(tooltip).toHaveTextContent(/Request rate\s*4\.\d+K req\/s/);
    expect(tooltip).toHaveTextContent(/Lag db-replica-1\s*\d+(\.\d+)? min/);
    expect(tooltip).toHaveTextContent(/DB utilisation\s*(99\.\d|100)%/);
    expect(tooltip).toHaveTextContent(/Healthy instances\s*12/);

    act(() => store.cursorMoved('database', null, source(-10)));
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();
  });

  it('shows nothing for a time outside the data', () => {
    const store = createHoverStore();
    store.attach(document.createElement('div'));
    store.enterLane('traffic');
    store.cursorMoved('traffic', cloudsmithAt('12:00'), source(10));
    render(<HoverTooltip store={store} model={model} timeZone="utc" panelWidth={900} panelHeight={500} />);
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();
  });
});
