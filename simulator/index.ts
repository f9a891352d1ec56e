/**
 * The simulator's library API: pure and synchronous (writeOpenMetrics aside, which awaits a stream), for the
 * rule pack's generator, the panel's fixtures and the demo.
 */
export {
  listScenarios,
  loadScenario,
  loadScenarioFile,
  parseScenario,
  eventsForRun,
  ScenarioError,
} from './scenario/load';
export type { Scenario, ScenarioEvent } from './scenario/load';
export { simulate, onWallClock, findSeries, filterSeries, indexAt, seriesKey } from './run';
export type { SimulateOptions, SimulationRun, Series } from './run';
export { toPromtoolInputSeries, promtoolSeriesYaml, expandingNotation } from './output/promtool';
export type { InputSeries, PromtoolSeriesOptions } from './output/promtool';
export { writeOpenMetrics, openMetricsChunks, toOpenMetrics } from './output/openmetrics';
export { DEFAULT_SERVICE, ROUTES, mergeParams } from './model/params';
export type { ServiceParams, DeepPartial, Route } from './model/params';
export { MILESTONE_KINDS, MODEL_STEP_SECONDS } from './model/service';
export type { MilestoneKind } from './model/service';
export { parseTimeSpec, parseDuration, toIso } from './scenario/time';
export { LiveSimulation } from './live';
export { createServer } from './server';
export {
  DIALECTS,
  DIALECT_NAMES,
  DialectError,
  parseDialects,
  runInDialects,
  translate,
  deployGeneration,
} from './dialects';
export type { Dialect, DialectName, Translation } from './dialects';
