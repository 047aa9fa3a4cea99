import { describe, expect, it } from 'vitest';
import { flaggedReport, sampleReport } from '../../../test/helpers/report-fixture.js';

describe('the exception report', () => {
  const report = sampleReport();
  const [abuse, substance] = report.themes;

  it('heads the indicator tables with the rolling years ending at the period end', () => {
    expect(report.currentWindow).toEqual({ from: '2021-09', to: '2022-08' });
    expect(report.previousWindow).toEqual({ from: '2020-09', to: '2021-08' });
    expect(report.labels.previous).toBe('Previous rolling year (Sep 20 – end Aug 21)');
    expect(report.labels.current).toBe('Current rolling year (Sep 21 – end Aug 22)');
  });

  it('compares each indicator of a theme, the entered 12-month total winning over months', () => {
    expect(abuse?.indicators.map((i) => [i.name, i.previousText, i.currentText, i.text])).toEqual([
      ['Domestic abuse incidents', '3,300', '3,471', '5.2% or 171 incident increase'],
      ['Repeat victims per 1,000', '6', '3', '-50.0% or 3 decrease'],
      ['MARAC cases', '120', 'incomplete (10 of 12 months)', 'incomplete (10 of 12 months)'],
    ]);
    expect(abuse?.indicators[1]).toMatchObject({
      change: '-3',
      changePercent: '-50.0',
      direction: 'better',
      directionLabel: 'Better',
    });
    expect(abuse?.indicators[2]).toMatchObject({ current: null, complete: false, direction: null });
  });

  it('names the flagged months of either window beside an indicator filled from police.uk data', () => {
    const flagged = flaggedReport();
    const [first, second] = flagged.themes[0]?.indicators ?? [];
    expect(first?.flaggedMonths).toEqual([
      {
        month: '2020-11',
        label: 'November 2020',
        why: 'Kent Police: records fell to half of the months around it',
      },
      {
        month: '2022-08',
        label: 'August 2022',
        why: 'Kent Police: records fell to a third of the months around it',
      },
    ]);
    // Figures entered by hand are not the crime import's, whatever it flagged.
    expect(second?.flaggedMonths).toEqual([]);
  });

  it('says which figures are incomplete', () => {
    expect(report.gaps).toEqual([
      'MARAC cases: Current rolling year (Sep 21 – end Aug 22) incomplete (10 of 12 months)',
    ]);
  });

  it('counts actions in the three groups, on hold and never updated with not started', () => {
    expect(abuse?.actionCounts).toEqual({ complete: 1, inProgress: 1, notStartedOrOffTrack: 1 });
    expect(substance?.actionCounts).toEqual({
      complete: 0,
      inProgress: 0,
      notStartedOrOffTrack: 1,
    });
  });

  it('writes each update status first, and says when there is none', () => {
    expect(abuse?.actions[2]?.updateText).toBe('On hold - Waiting for the county review.');
    expect(substance?.actions[0]).toMatchObject({
      status: 'not-started',
      update: null,
      updateMonth: null,
      updateText: 'No update yet',
    });
  });

  it('keeps commentary by theme and themes in plan order', () => {
    expect(report.themes.map((t) => [t.type, t.title])).toEqual([
      ['priority', 'Domestic abuse'],
      ['cross-cutting', 'Substance misuse'],
    ]);
    expect(abuse?.commentary).toContain('Reports rose');
    expect(substance?.commentary).toBe('');
    expect(substance?.indicators).toEqual([]);
  });
});
