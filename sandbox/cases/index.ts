/**
 * The case sources the host knows, in lookup order. A case name is served by the first source that
 * lists it; a live-Prometheus or simulator source slots in here without touching the host.
 */
import { grafanaSource } from './grafana';
import { liveSource } from './live';
import { syntheticSource } from './synthetic';
import { CaseSource, CaseSummary, SandboxCase, UnknownCaseError } from './types';

export const CASE_SOURCES: readonly CaseSource[] = [liveSource, syntheticSource, grafanaSource];

export function sourceOf(name: string, sources: readonly CaseSource[] = CASE_SOURCES): CaseSource | undefined {
  return sources.find((source) => source.list().some((c) => c.name === name));
}

export function allCases(sources: readonly CaseSource[] = CASE_SOURCES): CaseSummary[] {
  return sources.flatMap((source) => source.list());
}

export async function loadCase(name: string, sources: readonly CaseSource[] = CASE_SOURCES): Promise<SandboxCase> {
  const source = sourceOf(name, sources);
  if (!source) {
    throw new UnknownCaseError(
      name,
      allCases(sources).map((c) => c.name)
    );
  }
  return source.load(name);
}

export type { CaseSource, CaseSummary, SandboxCase } from './types';
