import uPlot from 'uplot';
import { Box, lineLabelCandidates, overlaps, pickLabelSpot, stackLabels } from './labels';

/**
 * Canvas drawing for what uPlot does not draw itself: shaded stretches, threshold and forecast lines,
 * deploy markers. All positions come from uPlot's scales in canvas pixels; everything is clipped to the
 * plotting area and costs O(things drawn), not O(points).
 */

function withClip(u: uPlot, draw: (ctx: CanvasRenderingContext2D) => void) {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  draw(ctx);
  ctx.restore();
}

/** Shades [start, end] stretches of time across the plot's height. */
export function shadeStretches(
  u: uPlot,
  stretches: ReadonlyArray<{ start: number; end: number }>,
  fill: string,
  minWidthPx = 2
) {
  if (stretches.length === 0) {
    return;
  }
  withClip(u, (ctx) => {
    ctx.fillStyle = fill;
    const { top, height } = u.bbox;
    for (const s of stretches) {
      const x0 = u.valToPos(s.start, 'x', true);
      const x1 = u.valToPos(s.end, 'x', true);
      ctx.fillRect(x0, top, Math.max(minWidthPx * uPlot.pxRatio, x1 - x0), height);
    }
  });
}

/** A horizontal line at a value of a scale (across the plot, or between two times), with an optional label at its right end. */
export function horizontalLine(
  u: uPlot,
  scale: string,
  value: number,
  style: {
    stroke: string;
    dash?: number[];
    width?: number;
    label?: string | false;
    font?: string;
    from?: number;
    to?: number;
    /** Labels already drawn in this plot: this one keeps clear of them, and is added. */
    placed?: Box[];
    /** Filled behind the label, for where no spot is free of data. */
    backdrop?: string;
  }
) {
  if (!Number.isFinite(value) || !u.scales[scale]) {
    return;
  }
  const y = u.valToPos(value, scale, true);
  if (y < u.bbox.top - 1 || y > u.bbox.top + u.bbox.height + 1) {
    return;
  }
  withClip(u, (ctx) => {
    ctx.strokeStyle = style.stroke;
    ctx.lineWidth = (style.width ?? 1) * uPlot.pxRatio;
    ctx.setLineDash((style.dash ?? []).map((d) => d * uPlot.pxRatio));
    const x0 = style.from === undefined ? u.bbox.left : u.valToPos(style.from, 'x', true);
    const x1 = style.to === undefined ? u.bbox.left + u.bbox.width : u.valToPos(style.to, 'x', true);
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x1, y);
    ctx.stroke();
    if (style.label) {
      ctx.setLineDash([]);
      ctx.font = scaledFont(style.font ?? '11px sans-serif');
      ctx.fillStyle = style.stroke;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      const px = uPlot.pxRatio;
      const width = ctx.measureText(style.label).width;
      const placed = style.placed ?? [];
      const plot = { x: u.bbox.left, y: u.bbox.top, width: u.bbox.width, height: u.bbox.height };
      // Off the data and off the labels already drawn: a label over a line hides the line and itself.
      const box = pickLabelSpot(
        lineLabelCandidates(plot, y, width, 12 * px, 4 * px),
        (b) => 100 * placed.filter((p) => overlaps(b, p, 4 * px)).length + dataHits(u, b)
      );
      placed.push(box);
      if (style.backdrop) {
        ctx.fillStyle = style.backdrop;
        ctx.globalAlpha = 0.8;
        ctx.fillRect(box.x - 2 * px, box.y, box.width + 4 * px, box.height);
        ctx.globalAlpha = 1;
        ctx.fillStyle = style.stroke;
      }
      ctx.textBaseline = 'top';
      ctx.fillText(style.label, box.x, box.y);
    }
  });
}

/** A dashed segment between two (time, value) points: the forecast to a threshold. */
export function forecastLine(
  u: uPlot,
  scale: string,
  line: readonly [readonly [number, number], readonly [number, number]],
  stroke: string
) {
  withClip(u, (ctx) => {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1.5 * uPlot.pxRatio;
    ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.beginPath();
    ctx.moveTo(u.valToPos(line[0][0], 'x', true), u.valToPos(line[0][1], scale, true));
    ctx.lineTo(u.valToPos(line[1][0], 'x', true), u.valToPos(line[1][1], scale, true));
    ctx.stroke();
    // A dot where the forecast meets its threshold (or zero).
    ctx.setLineDash([]);
    ctx.fillStyle = stroke;
    ctx.beginPath();
    ctx.arc(u.valToPos(line[1][0], 'x', true), u.valToPos(line[1][1], scale, true), 3 * uPlot.pxRatio, 0, 2 * Math.PI);
    ctx.fill();
  });
}

/**
 * Annotations that are not deploys, as Grafana draws them: a thin solid line in the annotation's colour with
 * a small mark at the bottom of the plot (deploys are dashed, marked at the top), a region shaded faintly.
 */
export function annotationMarkers(
  u: uPlot,
  annotations: ReadonlyArray<{ time: number; timeEnd: number; color?: string }>,
  fallbackColor: string
) {
  if (annotations.length === 0) {
    return;
  }
  withClip(u, (ctx) => {
    const { top, height } = u.bbox;
    const bottom = top + height;
    const px = uPlot.pxRatio;
    ctx.lineWidth = 1 * px;
    ctx.setLineDash([]);
    for (const a of annotations) {
      const color = a.color ?? fallbackColor;
      const x = Math.round(u.valToPos(a.time, 'x', true));
      if (a.timeEnd > a.time) {
        const x1 = u.valToPos(a.timeEnd, 'x', true);
        ctx.globalAlpha = 0.12;
        ctx.fillStyle = color;
        ctx.fillRect(x, top, Math.max(1, x1 - x), height);
        ctx.globalAlpha = 1;
      }
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillRect(x - 3 * px, bottom - 5 * px, 6 * px, 5 * px);
    }
  });
}

const DEPLOY_LABEL_ROWS = 2;
const DEPLOY_LABEL_ROW_PX = 13;

/** Vertical dashed lines at deploy times; labels only where asked (the top lane) and where they fit. */
export function deployMarkers(
  u: uPlot,
  deploys: ReadonlyArray<{ time: number; label: string }>,
  style: { stroke: string; font: string; labels: boolean }
) {
  if (deploys.length === 0) {
    return;
  }
  withClip(u, (ctx) => {
    const { top, height } = u.bbox;
    const px = uPlot.pxRatio;
    ctx.strokeStyle = style.stroke;
    ctx.fillStyle = style.stroke;
    ctx.lineWidth = 1 * px;
    ctx.font = scaledFont(style.font);
    ctx.textBaseline = 'top';
    const xs = deploys.map((d) => Math.round(u.valToPos(d.time, 'x', true)));
    for (const x of xs) {
      ctx.setLineDash([3 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      // A small triangle at the top marks it even where the label does not fit.
      ctx.beginPath();
      ctx.moveTo(x - 4 * px, top);
      ctx.lineTo(x + 4 * px, top);
      ctx.lineTo(x, top + 6 * px);
      ctx.fill();
    }
    if (style.labels) {
      // Right of the marker; left of it when it would run past the plot's right edge. Labels that would
      // touch go on a second row; with no room on either they are left out (the marker stays).
      const boxes = deploys.map((d, i) => {
        const width = ctx.measureText(d.label).width;
        const flip = xs[i] + 6 * px + width > u.bbox.left + u.bbox.width;
        return { x: flip ? xs[i] - 6 * px - width : xs[i] + 6 * px, width };
      });
      const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].x - boxes[b].x);
      const rows = stackLabels(
        order.map((i) => boxes[i]),
        DEPLOY_LABEL_ROWS,
        8 * px
      );
      ctx.textAlign = 'left';
      order.forEach((i, k) => {
        const row = rows[k];
        if (row !== null) {
          ctx.fillText(deploys[i].label, boxes[i].x, top + 2 * px + row * DEPLOY_LABEL_ROW_PX * px);
        }
      });
    }
  });
}

/**
 * How many of the plot's visible data points fall inside a box (canvas px): sampled, at most ~120 per series
 * across the box's width, which is plenty to see whether a line runs through a label's spot.
 */
export function dataHits(u: uPlot, box: Box): number {
  const xs = u.data[0] as ArrayLike<number>;
  if (!xs || xs.length === 0) {
    return 0;
  }
  const t0 = u.posToVal(box.x, 'x', true);
  const t1 = u.posToVal(box.x + box.width, 'x', true);
  const first = lowerBound(xs, t0);
  const last = lowerBound(xs, t1);
  const stride = Math.max(1, Math.floor((last - first) / 120));
  let hits = 0;
  for (let s = 1; s < u.series.length; s++) {
    const series = u.series[s];
    const values = u.data[s] as ArrayLike<number | null> | undefined;
    if (series.show === false || !values || !series.scale) {
      continue;
    }
    for (let i = Math.max(0, first - 1); i <= Math.min(xs.length - 1, last); i += stride) {
      const v = values[i];
      if (v == null || v !== v) {
        continue;
      }
      const y = u.valToPos(v, series.scale, true);
      if (y >= box.y - 1 && y <= box.y + box.height + 1) {
        hits++;
      }
    }
  }
  return hits;
}

function lowerBound(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** uPlot draws in device pixels; fonts given in CSS pixels are scaled to match. */
export function scaledFont(font: string): string {
  return font.replace(/(\d+(?:\.\d+)?)px/, (_, size) => `${Math.round(Number(size) * uPlot.pxRatio)}px`);
}
