import { lineLabelCandidates, overlaps, pickLabelSpot, stackLabels } from './labels';

const plot = { x: 40, y: 0, width: 800, height: 200 };

describe('label placement', () => {
  it('puts a threshold label above its line at the right end when nothing is there', () => {
    const spots = lineLabelCandidates(plot, 100, 60, 12, 4);
    expect(pickLabelSpot(spots, () => 0)).toEqual({ x: 40 + 800 - 4 - 60, y: 100 - 2 - 12, width: 60, height: 12 });
  });

  it('moves it off the data: below the line, or to the left end, when the data runs through the first spot', () => {
    const spots = lineLabelCandidates(plot, 100, 60, 12, 4);
    // The data: a line at y 90 across the right half of the plot.
    const data = { x: 440, y: 89, width: 400, height: 2 };
    const spot = pickLabelSpot(spots, (b) => (overlaps(b, data) ? 1 : 0));
    expect(overlaps(spot, data)).toBe(false);
    expect(spot.y).toBe(102);
    // Data above and below on the right: the left end.
    const both = [data, { x: 440, y: 105, width: 400, height: 2 }];
    const left = pickLabelSpot(spots, (b) => both.filter((d) => overlaps(b, d)).length);
    expect(left.x).toBe(44);
  });

  it('keeps two labels on one line apart (the lag warning and critical lines close together)', () => {
    const placed = [{ x: 776, y: 86, width: 60, height: 12 }];
    const spots = lineLabelCandidates(plot, 95, 60, 12, 4);
    const spot = pickLabelSpot(spots, (b) => placed.filter((p) => overlaps(b, p, 4)).length);
    expect(placed.some((p) => overlaps(spot, p, 4))).toBe(false);
  });

  it('never places a label outside the plot', () => {
    const spots = lineLabelCandidates(plot, 2, 60, 12, 4);
    expect(spots.every((s) => s.y >= 0)).toBe(true);
  });

  it('stacks deploy labels that would overlap, and leaves out what has no room', () => {
    const items = [
      { x: 100, width: 80 },
      { x: 150, width: 80 }, // overlaps the first: second row
      { x: 170, width: 80 }, // overlaps both: left out
      { x: 190, width: 80 }, // clear of the first: first row again
    ];
    expect(stackLabels(items, 2, 8)).toEqual([0, 1, null, 0]);
    expect(stackLabels(items, 1, 8)).toEqual([0, null, null, 0]);
  });
});
