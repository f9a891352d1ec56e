/**
 * Events the model understands, with times already resolved to Unix seconds (scenario files give them relative to
 * an anchor; see ../scenario/time.ts).
 */
import type { Route } from './params';

interface EventBase {
  /** Unix seconds. */
  start: number;
  /** Free text shown by `GET /api/state` and in run events. */
  note?: string;
}

/** Traffic from a new source (the first report): extra requests on some routes, from many client networks. */
export interface SurgeEvent extends EventBase {
  type: 'surge';
  /** When the source is blocked (Infinity: never). */
  end: number;
  /**
   * Extra requests at full strength, as a multiple of each route's base rate; a negative multiple (down to -1) is
   * a drop: that share of the route's ordinary traffic goes away.
   */
  routes: Partial<Record<Route, number>>;
  /** Time constant of the climb, minutes (63 % of full strength after this long). */
  rampMinutes: number;
  /** Time constant of the fall after `end`, minutes (a block stops traffic in seconds; a busy peak ebbs for hours). */
  fallMinutes: number;
  /** Distinct client networks at full strength, as a multiple of the ordinary count. */
  sourcesMultiplier: number;
  /** Write work per surge request relative to an ordinary one (ineffectual caching: above 1). */
  writeCostMultiplier: number;
  /** Read work per surge request relative to an ordinary one. */
  readCostMultiplier: number;
}

export interface DeployEffects {
  /** Multiplies the write work of every request (a fix that writes less). */
  writeCostFactor?: number;
  /** Multiplies the read work of every request. */
  readCostFactor?: number;
  /** Multiplies the primary's capacity. */
  primaryCapacityFactor?: number;
  /** Multiplies the primary work each unit of write work costs (a leaner query, an index on the queue table). */
  writeWorkFactor?: number;
  /** Instances can boot with none healthy from now on (the first report's 23:24 fix). */
  fixBootstrap?: boolean;
  /** Restart every booting instance now (a fresh cycle). */
  restartBoots?: boolean;
}

/** A new release. Its version and time become service_last_deploy_timestamp_seconds. */
export interface DeployEvent extends EventBase {
  type: 'deploy';
  version: string;
  /** A route the release breaks in a way the server cannot see: it still answers success, clients fail and retry. */
  breaks?: { route: Route; failureShare: number };
  /** A brief dip in traffic during the rollout (connections dropped and re-established). */
  blip?: { percent: number; minutes: number };
  effects: DeployEffects;
  /** Minutes over which numeric effects take hold. */
  rampMinutes: number;
}

/** New database replicas are requested; they come online when provisioned (slowly if the primary is saturated). */
export interface AddReplicasEvent extends EventBase {
  type: 'add-replicas';
  count: number;
}

/** The orchestrator's desired instance count changes. */
export interface ScaleEvent extends EventBase {
  type: 'scale';
  desired: number;
}

/** A background job that adds write work for a while (a nightly batch). */
export interface BatchEvent extends EventBase {
  type: 'batch';
  end: number;
  /** Units of write work per second while it runs. */
  writeRate: number;
}

/** The service's processes restart: counters start again from 0. */
export interface RestartEvent extends EventBase {
  type: 'restart';
}

export type ModelEvent = SurgeEvent | DeployEvent | AddReplicasEvent | ScaleEvent | BatchEvent | RestartEvent;
export type ModelEventType = ModelEvent['type'];

/**
 * The events of a service run at `k` times the traffic (see `scaledService`): a batch's write work is a rate of
 * its own and scales; surges and drops are multiples of the routes' rates, and the rest are counts or versions.
 */
export function scaledEvents(events: readonly ModelEvent[], k: number): ModelEvent[] {
  return events.map((e) => (e.type === 'batch' ? { ...e, writeRate: e.writeRate * k } : e));
}
