/**
 * Where labels go on a plot, as pure functions over boxes in canvas pixels: the drawing code (draw.ts) asks
 * them, so the rules are tested without a canvas.
 */

export interface Box {
  readonly x: number;
  /** Top edge. */
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The candidate spot that costs least (what it would cover: data, other labels), the first on a tie, so
 * candidates are listed in order of preference.
 */
export function pickLabelSpot(candidates: readonly Box[], cost: (box: Box) => number): Box {
  let best = candidates[0];
  let bestCost = Infinity;
  for (const c of candidates) {
    const v = cost(c);
    if (v < bestCost) {
      best = c;
      bestCost = v;
      if (v === 0) {
        break;
      }
    }
  }
  return best;
}

/** Where along a line its label may go, in order of preference: right end, left end, then across the middle. */
const ALONG = [1, 0, 0.5, 0.75, 0.25, 0.875, 0.625, 0.375, 0.125];

/**
 * Spots for a threshold line's label, in order of preference: above the line at its right end (where a reader
 * looks for the latest value's threshold), below it, then the same at the left end and at points across the
 * plot. Spots that leave the plot are dropped.
 */
export function lineLabelCandidates(plot: Box, lineY: number, width: number, height: number, pad: number): Box[] {
  const xs = ALONG.map((f) => plot.x + pad + f * (plot.width - 2 * pad - width));
  const ys = [lineY - pad / 2 - height, lineY + pad / 2];
  const out: Box[] = [];
  for (const x of xs) {
    for (const y of ys) {
      if (y >= plot.y && y + height <= plot.y + plot.height && x >= plot.x) {
        out.push({ x, y, width, height });
      }
    }
  }
  return out.length > 0 ? out : [{ x: xs[0], y: ys[0], width, height }];
}

/**
 * Rows for labels along the time axis (deploys), left to right: each label takes the first row where it does
 * not touch the one before it; when no row is free it is left out (its marker still shows). Returns each
 * label's row, or null.
 */
export function stackLabels(
  items: ReadonlyArray<{ readonly x: number; readonly width: number }>,
  rows: number,
  gap: number
): Array<number | null> {
  const rowEnds = new Array<number>(rows).fill(-Infinity);
  return items.map((item) => {
    const row = rowEnds.findIndex((end) => item.x >= end + gap);
    if (row < 0) {
      return null;
    }
    rowEnds[row] = item.x + item.width;
    return row;
  });
}
