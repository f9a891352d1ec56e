import uPlot from 'uplot';

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
  style: { stroke: string; dash?: number[]; width?: number; label?: string; font?: string; from?: number; to?: number }
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
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(style.label, u.bbox.left + u.bbox.width - 4 * uPlot.pxRatio, y - 2 * uPlot.pxRatio);
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
    let lastLabelEnd = -Infinity;
    for (const d of deploys) {
      const x = Math.round(u.valToPos(d.time, 'x', true));
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
      if (style.labels) {
        const width = ctx.measureText(d.label).width;
        if (x + 6 * px > lastLabelEnd) {
          ctx.textAlign = 'left';
          ctx.fillText(d.label, x + 6 * px, top + 2 * px);
          lastLabelEnd = x + 6 * px + width + 8 * px;
        }
      }
    }
  });
}

/** uPlot draws in device pixels; fonts given in CSS pixels are scaled to match. */
export function scaledFont(font: string): string {
  return font.replace(/(\d+(?:\.\d+)?)px/, (_, size) => `${Math.round(Number(size) * uPlot.pxRatio)}px`);
}
