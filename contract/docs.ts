/**
 * Reading the project's reference documents (docs/*.md) in tests, so the code and the documents that
 * describe its public interface can be compared both ways.
 */
import fs from 'fs';
import path from 'path';

export const DOCS_DIR = path.resolve(__dirname, '..', 'docs');

export function readDoc(name: string): string {
  return fs.readFileSync(path.join(DOCS_DIR, name), 'utf8');
}

/** A row's cells, trimmed, without the outer pipes; escaped pipes (`\|`) stay inside their cell. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/**
 * The body rows of the table whose header row starts with the cell `firstHeader`, as cells. Throws when
 * there is no such table, so a renamed column fails loudly instead of comparing nothing.
 */
export function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith('|') && cells(l)[0] === firstHeader);
  if (start < 0) {
    throw new Error(`no table whose first column is "${firstHeader}"`);
  }
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trimStart().startsWith('|')) {
      break;
    }
    rows.push(cells(line));
  }
  return rows;
}

/** The text after `<!-- marker -->` up to the next heading (or the end). Throws when the marker is missing. */
export function afterMarker(markdown: string, marker: string): string {
  const tag = `<!-- ${marker} -->`;
  const i = markdown.indexOf(tag);
  if (i < 0) {
    throw new Error(`marker ${tag} is missing`);
  }
  const rest = markdown.slice(i + tag.length);
  const next = rest.search(/^#/m);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The identifier in a cell that is exactly one code span (`name`), else undefined. */
export function codeSpan(cell: string | undefined): string | undefined {
  return /^`([^`]+)`$/.exec(cell ?? '')?.[1];
}

/** Every code span in a cell, in order. */
export function codeSpans(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}
