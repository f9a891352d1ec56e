/**
 * The tree is the only place each threshold and the cascade's stages are defined: config/definitions.ts. The
 * pack's defaults, the panel's defaults and the dashboards read them from there; no other source file (tests
 * and their fixtures aside) gives one of them a number, or lists the stages, of its own.
 */
import fs from 'fs';
import path from 'path';

import { CASCADE_STAGES as CATALOGUE_STAGES } from '../alerts/catalogue';
import { DEFAULT_OPTIONS } from '../src/defaults';
import { CASCADE_STAGES, THRESHOLDS } from './definitions';
import { DEFAULT_CONFIG } from './schema';

const ROOT = path.resolve(__dirname, '..');
const DEFINITIONS = 'config/definitions.ts';
/**
 * The folders whose code uses the definitions. (sandbox/cases and simulator/ hold their own synthetic data and
 * models, which set limits on purpose: a case with a backlog limit of its own is a fixture, not a default.)
 */
const SCANNED = ['config', 'contract', 'src', 'alerts', 'dashboards', 'demo'];

/** Names a threshold goes by in the code (any case): a key or constant with one of these is that threshold. */
const THRESHOLD_NAMES: Record<keyof typeof THRESHOLDS, RegExp> = {
  replicaLagWarningSeconds: /lag\w*warn|warn\w*lag/i,
  replicaLagCriticalSeconds: /lag\w*crit|crit\w*lag/i,
  databaseSaturation: /^(\w*_)?saturation$|^\w*[a-z]Saturation$/i,
  instancesLowFraction: /^low(Fraction|Ratio)$|instances\w*low/i,
  instancesCriticalFraction: /^critical(Fraction|Ratio)$|instances\w*crit/i,
  backlogLimit: /backlog_?limit/i,
};

interface Definition {
  file: string;
  line: number;
  what: string;
}

/** Keys or constants given a number (`lagWarning: 30`, `const BACKLOG_LIMIT = 50_000`) that name a threshold. */
function thresholdsDefinedIn(file: string, text: string): Definition[] {
  const found: Definition[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\b([A-Za-z_]\w*)\s*[:=]\s*-?\d[\d_]*(\.\d+)?(?![\w.])/g)) {
      for (const [threshold, name] of Object.entries(THRESHOLD_NAMES)) {
        if (name.test(m[1])) {
          found.push({ file, line: i + 1, what: `${threshold} (${m[0].trim()})` });
        }
      }
    }
  });
  return found;
}

/** A list of the cascade's stages written out (`['traffic', 'backlog', 'replicas', 'instances']` or a union). */
function stageListsIn(file: string, text: string): Definition[] {
  const quoted = CASCADE_STAGES.map((s) => `['"]${s}['"]`).join('\\s*[,|]\\s*');
  return [...text.matchAll(new RegExp(quoted, 'g'))].map((m) => ({
    file,
    line: text.slice(0, m.index).split('\n').length,
    what: 'the cascade stages',
  }));
}

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes('__fixtures__'))
    .filter((f) => !f.split('/').includes('node_modules'));
}

describe('one definition of each threshold and of the stages', () => {
  const files = SCANNED.flatMap(sourceFiles);

  it('scans the code that uses them', () => {
    expect(files).toEqual(
      expect.arrayContaining([DEFINITIONS, 'config/schema.ts', 'src/defaults.ts', 'src/model/status.ts'])
    );
    expect(files).toEqual(expect.arrayContaining(['alerts/catalogue.ts', 'dashboards/cascadePanel.ts']));
  });

  it('finds a threshold or a stage list written anywhere but config/definitions.ts', () => {
    const elsewhere = files
      .filter((f) => f !== DEFINITIONS)
      .flatMap((f) => {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        return [...thresholdsDefinedIn(f, text), ...stageListsIn(f, text)];
      });
    expect(elsewhere).toEqual([]);
  });

  it('config/definitions.ts defines each once', () => {
    const text = fs.readFileSync(path.join(ROOT, DEFINITIONS), 'utf8');
    const thresholds = thresholdsDefinedIn(DEFINITIONS, text).map((d) => d.what.split(' ')[0]);
    expect(thresholds.sort()).toEqual(
      Object.keys(THRESHOLDS)
        .filter((k) => THRESHOLDS[k as keyof typeof THRESHOLDS] !== null)
        .sort()
    );
    expect(stageListsIn(DEFINITIONS, text)).toHaveLength(1);
  });

  it('recognises the ways a second definition is written', () => {
    const code = [
      'const defaults = { lagWarnSeconds: 30, lagCritical: 300.5, saturation: 0.95 };',
      'export const BACKLOG_LIMIT = 50_000;',
      '  instances: { lowFraction: 0.75, criticalRatio: 0.5 },',
      "type Stage = 'traffic' | 'backlog' | 'replicas' | 'instances';",
      "const s = ['traffic', 'backlog', 'replicas', 'instances'] as const;",
    ].join('\n');
    expect(thresholdsDefinedIn('x.ts', code).map((d) => d.what)).toEqual([
      'replicaLagWarningSeconds (lagWarnSeconds: 30)',
      'replicaLagCriticalSeconds (lagCritical: 300.5)',
      'databaseSaturation (saturation: 0.95)',
      'backlogLimit (BACKLOG_LIMIT = 50_000)',
      'instancesLowFraction (lowFraction: 0.75)',
      'instancesCriticalFraction (criticalRatio: 0.5)',
    ]);
    expect(stageListsIn('x.ts', code).map((d) => d.line)).toEqual([4, 5]);
    // Reading a definition, or a number under another name, is not a second definition.
    const reading = 'lagWarning: THRESHOLDS.replicaLagWarningSeconds, minUtilization: 0.5, lagTrendWindow: x';
    expect(thresholdsDefinedIn('x.ts', reading)).toEqual([]);
  });
});

describe('the definitions are what every part uses', () => {
  it("gives the pack's defaults and the panel's defaults the same thresholds", () => {
    expect(DEFAULT_CONFIG.replicas).toEqual(
      expect.objectContaining({
        lagWarning: THRESHOLDS.replicaLagWarningSeconds,
        lagCritical: THRESHOLDS.replicaLagCriticalSeconds,
      })
    );
    expect(DEFAULT_CONFIG.database.saturation).toBe(THRESHOLDS.databaseSaturation);
    expect(DEFAULT_CONFIG.instances).toEqual(
      expect.objectContaining({
        lowRatio: THRESHOLDS.instancesLowFraction,
        criticalRatio: THRESHOLDS.instancesCriticalFraction,
      })
    );
    expect(DEFAULT_CONFIG.backlog.limit).toBe(THRESHOLDS.backlogLimit);
    expect(DEFAULT_OPTIONS.database).toEqual(
      expect.objectContaining({
        backlogLimit: THRESHOLDS.backlogLimit ?? 0,
        lagWarnSeconds: THRESHOLDS.replicaLagWarningSeconds,
        lagCriticalSeconds: THRESHOLDS.replicaLagCriticalSeconds,
        saturation: THRESHOLDS.databaseSaturation,
      })
    );
    expect(DEFAULT_OPTIONS.instances).toEqual({
      lowFraction: THRESHOLDS.instancesLowFraction,
      criticalFraction: THRESHOLDS.instancesCriticalFraction,
    });
    expect(CATALOGUE_STAGES).toBe(CASCADE_STAGES);
  });

  it('imports nothing, so the panel bundle that loads it pulls in no zod', () => {
    const text = fs.readFileSync(path.join(ROOT, DEFINITIONS), 'utf8');
    expect(text.match(/^\s*(import|export .* from)\b.*$/gm) ?? []).toEqual([]);
    expect(text).not.toMatch(/require\(/);
  });
});
