/**
 * The replays assert what docs/alerts.md promises and report against the timelines docs/incidents.md
 * gives: both lists are compared with the documents, both ways.
 */
import { afterMarker, readDoc, tableRows } from '../../contract/docs';
import { INCIDENT_REQUIREMENTS, REPORT_TIMELINES } from './expectations';

const INCIDENTS = Object.keys(INCIDENT_REQUIREMENTS);

describe('docs/alerts.md against the replays’ requirements', () => {
  const alertsMd = readDoc('alerts.md');

  it('covers both reports', () => {
    expect([...INCIDENTS].sort()).toEqual(['cloudsmith-2020-02-04', 'crates-io-2023-07-20']);
  });

  it.each(INCIDENTS)('lists exactly the requirements the replay of %s asserts', (incident) => {
    const documented = afterMarker(alertsMd, `requirements:${incident}`)
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map((line) => line.slice(2).trim());
    expect(documented).toEqual(INCIDENT_REQUIREMENTS[incident].map((r) => r.text));
  });
});

describe('docs/incidents.md against the replays’ timelines', () => {
  const incidentsMd = readDoc('incidents.md');

  it('has a timeline for each report the replays know, and no other', () => {
    const marked = [...incidentsMd.matchAll(/<!-- timeline:([a-z0-9-]+) -->/g)].map((m) => m[1]);
    expect(marked.sort()).toEqual(Object.keys(REPORT_TIMELINES).sort());
  });

  it.each(Object.keys(REPORT_TIMELINES))('gives the moments of %s the replay report prints', (incident) => {
    const rows = tableRows(afterMarker(incidentsMd, `timeline:${incident}`), 'time (UTC)');
    expect(rows.map(([time]) => time)).toEqual(REPORT_TIMELINES[incident].map((e) => e.time));
  });

  it('cites each report by its public address', () => {
    expect(incidentsMd).toContain('<https://status.cloudsmith.io/incidents/n0trh0xgw3p5>');
    expect(incidentsMd).toContain('<https://blog.rust-lang.org/inside-rust/2023/07/21/crates-io-postmortem.html>');
  });
});
