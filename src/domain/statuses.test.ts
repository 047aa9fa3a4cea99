import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STATUSES,
  countByReportGroup,
  joinStatus,
  parseStatus,
  reportGroup,
  splitStatus,
} from './statuses.js';

describe('report groups', () => {
  it('puts on hold and off track with not yet started', () => {
    expect(reportGroup('complete')).toBe('complete');
    expect(reportGroup('in-progress')).toBe('inProgress');
    expect(reportGroup('not-started')).toBe('notStartedOrOffTrack');
    expect(reportGroup('on-hold')).toBe('notStartedOrOffTrack');
    expect(reportGroup('off-track')).toBe('notStartedOrOffTrack');
  });

  it('counts every action in exactly one group', () => {
    expect(
      countByReportGroup([
        'complete',
        'on-hold',
        'in-progress',
        'off-track',
        'not-started',
        'complete',
      ]),
    ).toEqual({
      complete: 2,
      inProgress: 1,
      notStartedOrOffTrack: 3,
    });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATUSES)), (list) => {
        const c = countByReportGroup(list);
        return c.complete + c.inProgress + c.notStartedOrOffTrack === list.length;
      }),
    );
  });
});

describe('reading statuses', () => {
  it('reads the spellings users write', () => {
    expect(parseStatus('In progress')).toBe('in-progress');
    expect(parseStatus(' in-progress ')).toBe('in-progress');
    expect(parseStatus('Not yet started')).toBe('not-started');
    expect(parseStatus('not started')).toBe('not-started');
    // Each status's own id, as the API, the command line and exports of other tools write it.
    expect(parseStatus('not-started')).toBe('not-started');
    expect(parseStatus('Not-yet-started')).toBe('not-started');
    expect(parseStatus('Completed')).toBe('complete');
    expect(parseStatus('ON HOLD')).toBe('on-hold');
    expect(parseStatus('Off track')).toBe('off-track');
    expect(parseStatus('Nearly there')).toBeUndefined();
    expect(parseStatus('In progress soon')).toBeUndefined();
  });

  it('takes the status from the start of an update', () => {
    expect(splitStatus('In progress - training booked for May')).toEqual({
      status: 'in-progress',
      narrative: 'training booked for May',
    });
    expect(splitStatus('On hold – waiting for funding')).toEqual({
      status: 'on-hold',
      narrative: 'waiting for funding',
    });
    expect(splitStatus('Off track: staff shortages')).toEqual({
      status: 'off-track',
      narrative: 'staff shortages',
    });
    expect(splitStatus('Complete')).toEqual({ status: 'complete', narrative: '' });
    expect(splitStatus('Complete. Report published.')).toEqual({
      status: 'complete',
      narrative: 'Report published.',
    });
  });

  it('leaves an update that does not start with a status alone', () => {
    expect(splitStatus('Completely new approach agreed')).toEqual({
      narrative: 'Completely new approach agreed',
    });
    expect(splitStatus('Meeting held in progress review')).toEqual({
      narrative: 'Meeting held in progress review',
    });
  });

  it('writes status first and reads it back unchanged', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.stringMatching(/^[a-z][a-z ]{0,30}[a-z]$/),
        (status, narrative) => {
          expect(splitStatus(joinStatus(status, narrative))).toEqual({ status, narrative });
        },
      ),
    );
  });
});
