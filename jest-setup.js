// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
// The scaffold stubs getContext() with a no-op; uPlot needs a canvas that answers, so install the mock after it.
import 'jest-canvas-mock';
