import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { DataFrame, Field, FieldType, LinkModel } from '@grafana/data';
import { buildCascadeModel, LaneSeries } from '../../model/cascade';
import { TestIds } from '../../testIds';
import { fieldLookup, linksAt, rowAt } from './dataLinks';
import { createHoverStore, releaseOnEscape } from './hoverStore';
import { HoverTooltip } from './HoverTooltip';
import { cloudsmithAt, cloudsmithTimeline } from '../../__fixtures__/frames';

/** A field as Grafana hands it to a panel after applyFieldOverrides: display processor and getLinks set. */
function linkedField(name: string, values: number[], links: Array<{ title: string; url: string }>): Field {
  const field: Field = {
    name,
    type: FieldType.number,
    values,
    config: { links },
    display: (v) => ({ text: String(v), numeric: Number(v) }),
  };
  field.getLinks = ({ valueRowIndex }) =>
    links.map((l): LinkModel<Field> => ({
      title: l.title,
      href: l.url.replace('${__value.raw}', String(values[valueRowIndex ?? 0])),
      target: '_blank',
      origin: field,
    }));
  return field;
}

function frameOf(times: number[], field: Field): DataFrame {
  return { length: times.length, fields: [{ name: 'Time', type: FieldType.time, values: times, config: {} }, field] };
}

const series = (field: Field) => ({ display: field.display }) as unknown as LaneSeries;

describe('data links', () => {
  it('finds the row at or before the hovered time', () => {
    const frame = frameOf([10, 20, 30], linkedField('x', [1, 2, 3], []));
    expect([5, 10, 25, 99].map((t) => rowAt(frame, t))).toEqual([-1, 0, 1, 2]);
  });

  it('gives each series\u2019 links, interpolated at the hovered sample, once each', () => {
    const backlog = linkedField(
      'db_write_backlog',
      [100, 200],
      [{ title: 'Runbook', url: 'https://x/r?v=${__value.raw}' }]
    );
    const lag = linkedField(
      'db_replication_lag_seconds',
      [1, 2],
      [{ title: 'Runbook', url: 'https://x/r?v=${__value.raw}' }]
    );
    const plain = linkedField('instances_healthy', [3, 3], []);
    const frames = [frameOf([0, 60_000], backlog), frameOf([0, 60_000], lag), frameOf([0, 60_000], plain)];
    const lookup = fieldLookup(frames);
    const links = linksAt(lookup, [series(backlog), series(lag), series(plain), undefined], 61_000);
    expect(links.map((l) => `${l.title} ${l.href}`)).toEqual(['Runbook https://x/r?v=200', 'Runbook https://x/r?v=2']);
  });

  it('shows them in the tooltip once it is pinned by a click', () => {
    const now = cloudsmithAt('22:40');
    const frames = cloudsmithTimeline(now) as DataFrame[];
    // Give the backlog field a link, as a dashboard's field config would.
    const backlogField = frames.flatMap((f) => f.fields).find((f) => f.labels?.__name__ === 'db_write_backlog')!;
    const linked = linkedField('db_write_backlog', backlogField.values as number[], [
      { title: 'Backlog in Explore', url: 'https://grafana.example/explore?v=${__value.raw}' },
    ]);
    Object.assign(backlogField, { config: linked.config, display: linked.display, getLinks: linked.getLinks });
    const model = buildCascadeModel({ series: frames, timeRange: { from: now - 3 * 3600_000, to: now } }, {});
    const store = createHoverStore();
    store.attach(document.createElement('div'));
    render(
      <HoverTooltip
        store={store}
        model={model}
        timeZone="utc"
        panelWidth={900}
        panelHeight={500}
        fields={fieldLookup(frames)}
      />
    );
    act(() => {
      store.enterLane('database');
      store.cursorMoved('database', cloudsmithAt('22:30'), {
        over: document.createElement('div'),
        cursor: { left: 10, top: 10 },
      });
    });
    expect(screen.queryByTestId(TestIds.dataLink)).toBeNull();
    expect(screen.getByTestId(TestIds.tooltip)).toHaveTextContent('Click to pin, for the data links');
    act(() => store.togglePin());
    const link = screen.getByTestId(TestIds.dataLink);
    expect(link).toHaveTextContent('Backlog in Explore');
    expect(link.getAttribute('href')).toMatch(/^https:\/\/grafana\.example\/explore\?v=\d+/);
    // Pinned: the pointer no longer moves it; a second click lets it go.
    act(() => store.cursorMoved('database', null, { over: document.createElement('div'), cursor: {} }));
    expect(screen.getByTestId(TestIds.dataLink)).toBeInTheDocument();
    act(() => store.togglePin());
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();

    // Escape lets a pinned tooltip go too; other keys do not.
    act(() => {
      store.cursorMoved('database', cloudsmithAt('22:30'), {
        over: document.createElement('div'),
        cursor: { left: 1 },
      });
      store.togglePin();
    });
    const onKey = releaseOnEscape(store);
    act(() => onKey(new KeyboardEvent('keydown', { key: 'Enter' })));
    expect(screen.getByTestId(TestIds.dataLink)).toBeInTheDocument();
    act(() => onKey(new KeyboardEvent('keydown', { key: 'Escape' })));
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();
  });
});
