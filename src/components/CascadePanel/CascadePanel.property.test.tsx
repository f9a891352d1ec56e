import fc from 'fast-check';
import { cleanup, screen } from '@testing-library/react';
import { messyOptions, messySeries } from '../../__fixtures__/arbitraries';
import { panelProps, renderPanel } from '../../__fixtures__/panelProps';
import { TestIds } from '../../testIds';

describe('the panel on malformed input', () => {
  it('never throws and shows either the status or a message that says what is missing', () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    fc.assert(
      fc.property(
        messySeries,
        messyOptions,
        fc.integer({ min: 120, max: 1400 }),
        fc.integer({ min: 60, max: 900 }),
        (series, options, width, height) => {
          cleanup();
          renderPanel(
            panelProps(series, 1_600_000_000_000, 1_600_003_600_000, { options: options as never, width, height })
          );
          const message = screen.queryByTestId(TestIds.message);
          if (message) {
            expect(message.textContent).toMatch(/looks for .*traffic/);
          } else {
            expect(screen.getByTestId(TestIds.status).textContent).toMatch(
              /^(Operational|Degraded performance|Partial outage|Major outage)$/
            );
          }
        }
      ),
      { numRuns: 80 }
    );
    // React reports render errors through console.error even when an error boundary catches them.
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
