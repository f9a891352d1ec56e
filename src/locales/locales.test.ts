/**
 * The locale file is what translators start from: every `t(key, English)` in the panel's code must be in it with
 * the same English, and it must hold nothing the code no longer says.
 */
import fs from 'fs';
import path from 'path';

import { REASON_TEMPLATES } from '../model/status';
import english from './en-US/cascadewatch-cascade-panel.json';

const SRC = path.resolve(__dirname, '..');
/** `t('a.b', 'Text'` as the code writes it (one line, single quotes). */
const CALL = /\bt\(\s*'([a-z0-9.-]+)',\s*'((?:[^'\\]|\\.)*)'/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return e.name === '__fixtures__' ? [] : sourceFiles(full);
    }
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

function flatten(tree: object, prefix = ''): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((out, [key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? { ...out, [name]: value } : { ...out, ...flatten(value, name) };
  }, {});
}

describe('the en-US locale file', () => {
  const inCode: Record<string, string> = {};
  for (const file of sourceFiles(SRC)) {
    for (const [, key, text] of fs.readFileSync(file, 'utf8').matchAll(CALL)) {
      inCode[key] = text.replace(/\\'/g, "'");
    }
  }
  // Status reasons are translated by id, with the model's English templates as their defaults.
  for (const [id, template] of Object.entries(REASON_TEMPLATES)) {
    inCode[`reason.${id}`] = template;
  }

  it('finds the calls it checks', () => {
    expect(Object.keys(inCode)).toEqual(
      expect.arrayContaining(['status.operational', 'lane.traffic', 'reason.backlog-limit-eta'])
    );
  });

  it('has every key the code uses, with the code’s English, and no other', () => {
    expect(flatten(english)).toEqual(inCode);
  });
});
