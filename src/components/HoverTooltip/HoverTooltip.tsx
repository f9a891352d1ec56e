import React, { useSyncExternalStore } from 'react';
import { dateTimeFormat, formattedValueToString } from '@grafana/data';
import { cx } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import { CascadeModel } from '../../model/cascade';
import { formatValue } from '../../model/format';
import { HoverRow, rowsAt } from '../../model/hover';
import { annotationsAt, PanelAnnotation } from '../../plot/annotations';
import { legendKey } from '../../plot/legend';
import { TestIds } from '../../testIds';
import { HoverStore } from './hoverStore';
import { laneTitle, strings } from '../strings';
import { getStyles } from './HoverTooltip.styles';
import { FieldLookup, hasLinks, linksAt } from './dataLinks';

interface Props {
  store: HoverStore;
  model: CascadeModel;
  timeZone: string;
  panelWidth: number;
  panelHeight: number;
  /** Legend entries the user hid: their rows are left out, as their lines are. */
  hidden?: ReadonlySet<string>;
  /** Finds the frame field behind a series, for its data links. */
  fields?: FieldLookup;
  /** Annotations that are not deploys: those at the hovered time are listed first. */
  annotations?: readonly PanelAnnotation[];
  annotationToleranceMs?: number;
}

const WIDTH = 260;

function formatRow(row: HoverRow): string {
  if (!Number.isFinite(row.value)) {
    return '–';
  }
  if (row.series?.display) {
    return formattedValueToString(row.series.display(row.value));
  }
  return formatValue(row.value, row.unit, row.series?.decimals);
}

/** Every signal at the hovered time, with units: one tooltip for all lanes, following the crosshair. */
export function HoverTooltip({
  store,
  model,
  timeZone,
  panelWidth,
  panelHeight,
  hidden,
  fields,
  annotations = [],
  annotationToleranceMs = 0,
}: Props) {
  const styles = useStyles2(getStyles);
  const hover = useSyncExternalStore(store.subscribe, store.get);
  if (hover.time === null) {
    return null;
  }
  const rows = rowsAt(model, hover.time).filter(
    (row) => !hidden?.has(legendKey(row.lane, row.series ? row.label : 'Baseline'))
  );
  const notes = annotationsAt(annotations, hover.time, annotationToleranceMs);
  if (rows.length === 0 && notes.length === 0) {
    return null;
  }
  // Links only once pinned: a tooltip that follows the pointer cannot be clicked.
  const links =
    hover.pinned && fields
      ? linksAt(
          fields,
          rows.map((r) => r.series),
          hover.time
        )
      : [];
  // Flip to the other side of the pointer near the right and bottom edges.
  const left = hover.x + 16 + WIDTH > panelWidth ? Math.max(0, hover.x - 16 - WIDTH) : hover.x + 16;
  const top = Math.min(hover.y + 12, Math.max(0, panelHeight - 40 - rows.length * 18));
  return (
    <div
      className={cx(styles.tooltip, hover.pinned && styles.pinned)}
      style={{ left, top, width: WIDTH }}
      data-testid={TestIds.tooltip}
      role="tooltip"
    >
      <div className={styles.time}>{dateTimeFormat(hover.time, { timeZone })}</div>
      {notes.map((a, i) => (
        <div key={`${a.time}-${i}`} className={styles.annotation} data-testid={TestIds.annotation}>
          <span className={styles.annotationMark} style={{ background: a.color }} />
          {a.label}
        </div>
      ))}
      {rows.map((row, i) => {
        const heading =
          i === 0 || rows[i - 1].lane !== row.lane ? <div className={styles.lane}>{laneTitle(row.lane)}</div> : null;
        return (
          <React.Fragment key={`${row.lane}-${row.label}-${i}`}>
            {heading}
            <div className={styles.row}>
              <span className={styles.label} title={row.label}>
                {row.label}
              </span>
              <span className={styles.value}>{formatRow(row)}</span>
            </div>
          </React.Fragment>
        );
      })}
      {links.length > 0 && (
        <div className={styles.links}>
          {links.map((link, i) => (
            <a
              key={`${link.href}-${i}`}
              className={styles.link}
              href={link.href}
              target={link.target}
              rel="noopener noreferrer"
              onClick={link.onClick}
              data-testid={TestIds.dataLink}
            >
              {link.title || link.href}
            </a>
          ))}
        </div>
      )}
      {!hover.pinned &&
        fields &&
        hasLinks(
          fields,
          rows.map((r) => r.series)
        ) && <div className={styles.hint}>{strings.pinHint()}</div>}
    </div>
  );
}
