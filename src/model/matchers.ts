import { ROLE_LABELS, ROLE_ORDER } from '../defaults';
import { Role, RoleMatchers } from '../types';

/**
 * Role matchers are typed by dashboard users, and JavaScript regular expressions backtrack: `/(a+)+$/` against
 * a 25-character legend costs most of a second, and the panel cannot interrupt a running match. So a `/regex/`
 * matcher is checked before it is used, and its work is bounded:
 * - a pattern's worst case is estimated from its shape: a match of a name of length L takes at most about
 *   (L + 1)^(repetitions + 1) x (its alternatives and optional parts multiplied) steps. Patterns whose worst case
 *   has no bound (a repeated group that itself repeats or alternates, a backreference), is above
 *   PATTERN_STEP_LIMIT on a MAX_NAME_LENGTH name, or that are longer than MAX_PATTERN_LENGTH are refused, with a
 *   note that says why;
 * - each distinct name is matched once per data change (memoised); names longer than MAX_NAME_LENGTH are only
 *   matched by exact matchers;
 * - the estimated steps of all regex tests per data change are capped at WORK_BUDGET; past it the remaining
 *   names are not matched against regexes and a note says so.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_NAME_LENGTH = 160;
export const PATTERN_STEP_LIMIT = 2e7;
export const WORK_BUDGET = 2e8;

export interface RegexAnalysis {
  /** Why the source cannot be matched in bounded time, or null when it can. */
  readonly reason: string | null;
  /** Quantifiers that may repeat (`*`, `+`, `{2,}`...). */
  readonly repeats: number;
  /** The ways its alternatives and optional parts multiply (2 per `?`, n for n alternatives). */
  readonly branching: number;
}

/** The worst-case backtracking steps of one test against a name of `length` characters. */
export function worstSteps(a: RegexAnalysis, length: number): number {
  return Math.pow(length + 1, a.repeats + 1) * a.branching;
}

interface Group {
  /** Holds a quantifier (even `?`) or an alternation: repeating such a group can match one text many ways. */
  ambiguous: boolean;
  hasQuantifier: boolean;
  alternatives: number;
}

const newGroup = (): Group => ({ ambiguous: false, hasQuantifier: false, alternatives: 1 });

const QUANTIFIER = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/;

/** The largest count a quantifier allows: 1 for `?`, Infinity for `*`, `+`, `{n,}`. */
function upperBound(q: RegExpExecArray): number {
  if (q[1]) {
    return q[1] === '?' ? 1 : Infinity;
  }
  return q[3] ? (q[4] ? Number(q[4]) : Infinity) : Number(q[2]);
}

/** Reads a regex source the way the engine would backtrack on it, to refuse what cannot be bounded. */
export function analyseRegex(source: string): RegexAnalysis {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { reason: `is longer than ${MAX_PATTERN_LENGTH} characters`, repeats: 0, branching: 1 };
  }
  const groups: Group[] = [newGroup()];
  let repeats = 0;
  let branching = 1;
  let i = 0;
  // What a quantifier right here applies to: the group that just closed, or a plain atom (null).
  let closed: Group | null = null;
  while (i < source.length) {
    const c = source[i];
    const top = groups[groups.length - 1];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        return { reason: 'uses a backreference', repeats, branching };
      }
      i += 2;
      closed = null;
    } else if (c === '[') {
      // A character class is one atom: skip to its unescaped closing bracket.
      i++;
      while (i < source.length && source[i] !== ']') {
        i += source[i] === '\\' ? 2 : 1;
      }
      i++;
      closed = null;
    } else if (c === '(') {
      groups.push(newGroup());
      i++;
      if (source[i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>
        i++;
        if (source[i] === '<' && source[i + 1] !== '=' && source[i + 1] !== '!') {
          i = source.indexOf('>', i) + 1 || source.length;
        } else {
          i += source[i] === '<' ? 2 : 1;
        }
      }
      closed = null;
    } else if (c === ')') {
      closed = groups.length > 1 ? groups.pop()! : newGroup();
      branching *= closed.alternatives;
      const parent = groups[groups.length - 1];
      parent.ambiguous ||= closed.ambiguous;
      parent.hasQuantifier ||= closed.hasQuantifier;
      i++;
    } else if (c === '|') {
      top.ambiguous = true;
      top.alternatives++;
      i++;
      closed = null;
    } else {
      const q = QUANTIFIER.exec(source.slice(i, i + 24));
      if (q) {
        if (upperBound(q) > 1) {
          if (closed?.ambiguous) {
            return {
              reason: closed.hasQuantifier ? 'repeats a group that itself repeats' : 'repeats a group of alternatives',
              repeats,
              branching,
            };
          }
          repeats++;
        } else {
          branching *= 2;
        }
        top.ambiguous = true;
        top.hasQuantifier = true;
        i += q[0].length;
      } else {
        i++;
      }
      closed = null;
    }
  }
  // Unclosed groups (the pattern will not compile anyway) and the top level multiply too.
  for (const g of groups) {
    branching *= g.alternatives;
  }
  const analysis = { reason: null, repeats, branching };
  const steps = worstSteps(analysis, MAX_NAME_LENGTH);
  if (steps > PATTERN_STEP_LIMIT) {
    return {
      ...analysis,
      reason: `could take ~${steps.toExponential(0)} steps on a ${MAX_NAME_LENGTH}-character name (${repeats} repetitions, ${branching} alternative ways)`,
    };
  }
  return analysis;
}

/** Tests a field's names: `lower` are the same names lower-cased once, for the exact (case-insensitive) matchers. */
export type Matcher = (names: readonly string[], lower: readonly string[]) => boolean;

export interface CompiledMatchers {
  readonly byRole: Record<Role, Matcher[]>;
  /** Regex tests actually run (after memoisation), for tests and the benchmark. */
  readonly work: () => { tests: number; steps: number };
}

/**
 * Parses "name, other, /regex/i" into matchers, once per data change; a broken or unbounded regex is reported
 * in `notices`, not thrown or run.
 */
export function compileMatchers(roles: RoleMatchers, notices: string[]): CompiledMatchers {
  const byRole = {} as Record<Role, Matcher[]>;
  const budget = { tests: 0, steps: 0, exhausted: false };
  for (const role of ROLE_ORDER) {
    const text = typeof roles[role] === 'string' ? roles[role] : '';
    byRole[role] = splitPatterns(text).flatMap((pattern): Matcher[] => {
      const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
      if (!regex) {
        const wanted = pattern.toLowerCase();
        return [(_names, lower) => lower.includes(wanted)];
      }
      const shown = pattern.length > 60 ? `${pattern.slice(0, 57)}…` : pattern;
      const analysis = analyseRegex(regex[1]);
      const reason = analysis.reason;
      if (reason) {
        notices.push(`${ROLE_LABELS[role]} role: ${shown} ${reason}, so it is not used (it could stall the panel)`);
        return [];
      }
      let re: RegExp;
      try {
        // Without the global or sticky flag a test never depends on the previous one.
        re = new RegExp(regex[1], regex[2].replace(/[gy]/g, ''));
      } catch {
        notices.push(`${ROLE_LABELS[role]} role: ${shown} is not a valid regular expression`);
        return [];
      }
      const seen = new Map<string, boolean>();
      const test = (name: string): boolean => {
        const known = seen.get(name);
        if (known !== undefined) {
          return known;
        }
        let result = false;
        if (name.length <= MAX_NAME_LENGTH && !budget.exhausted) {
          const steps = worstSteps(analysis, name.length);
          if (budget.steps + steps > WORK_BUDGET) {
            budget.exhausted = true;
            notices.push(
              `Role matchers: too many names to match against regular expressions; the rest were matched by exact names only`
            );
          } else {
            budget.steps += steps;
            budget.tests++;
            result = re.test(name);
          }
        }
        seen.set(name, result);
        return result;
      };
      return [(names) => names.some(test)];
    });
  }
  return { byRole, work: () => ({ tests: budget.tests, steps: budget.steps }) };
}

/** Splits on commas outside /regex/ literals, so `/a{1,3}/` stays whole. */
export function splitPatterns(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ')) {
      i++;
    }
    if (i >= text.length) {
      break;
    }
    let end: number;
    if (text[i] === '/') {
      // A regex literal runs to its closing (unescaped) slash and its flags.
      end = i + 1;
      while (end < text.length && !(text[end] === '/' && text[end - 1] !== '\\')) {
        end++;
      }
      end++;
      while (end < text.length && /[a-z]/.test(text[end])) {
        end++;
      }
    } else {
      end = text.indexOf(',', i);
      end = end < 0 ? text.length : end;
    }
    parts.push(text.slice(i, end).trim());
    i = end;
  }
  return parts.filter((p) => p.length > 0);
}
