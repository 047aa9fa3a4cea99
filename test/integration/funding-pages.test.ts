import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD } from '../helpers/factories.js';
import { fundingWorld, type FundingWorld } from '../helpers/funding-fixture.js';

/** The funding pages over HTTP, in real time, as the coordinator, a member and a lead use them. */
let t: TestApp;
let w: FundingWorld;
let coord: Client;
let voter: Client;
let lead: Client;
let viewer: Client;
let outsider: Client;
let fundUrl: string;
let proposalUrl: string;

const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location);
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  t = await testApp();
  w = await fundingWorld(t.services);
  const as = (k: keyof FundingWorld['emails']) => signedIn(t.app, w.emails[k], PASSWORD);
  coord = await as('coordinator');
  voter = await as('voter');
  lead = await as('lead');
  viewer = await as('viewer');
  outsider = await as('outsider');
});
afterAll(async () => t.close());

describe('funding pages', () => {
  it('adds a fund, refusing a bad amount with the GOV.UK error summary', async () => {
    await coord.get(`/partnerships/${w.slug}/funding/new`);
    const bad = await coord.post(`/partnerships/${w.slug}/funding/new`, {
      source: 'Police and Crime Commissioner',
      name: 'Crime Reduction Grant',
      year: '2025/26',
      amount: '39,661.005',
      status: 'indicative',
      voteThreshold: 'consensus',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error: Add a fund – Saferplan</title>');
    expect(bad.body).toContain('href="#amount">Amount must have 2 decimal places or fewer');
    const res = await coord.post(`/partnerships/${w.slug}/funding/new`, {
      source: 'Police and Crime Commissioner',
      name: 'Crime Reduction Grant',
      year: '2025/26',
      amount: '39,661',
      status: 'indicative',
      priorities: 'Anti-social behaviour\nSafer streets',
      workingGroupId: String(w.groupId),
      voteThreshold: 'consensus',
      acceptingProposals: 'yes',
    });
    expect(res.statusCode).toBe(303);
    fundUrl = location(res).replace(/\/pots\?.*$/, '');
  });

  it('splits the fund into pots, the remainder shown, a split that misses refused', async () => {
    const form = await coord.get(`${fundUrl}/pots`);
    expect(form.statusCode).toBe(200);
    const missed = await coord.post(`${fundUrl}/pots`, {
      fundAmount: '39661',
      mode: 'amounts',
      pot1Name: 'Upfront projects',
      pot1Amount: '26,440',
      pot2Name: 'Tactical pot',
      pot2Amount: '13,220',
      pot3Name: '',
    });
    expect(missed.statusCode).toBe(400);
    expect(missed.body).toContain('The pots add up to £39,660, £1 less than the fund of £39,661');
    const ok = await coord.post(`${fundUrl}/pots`, {
      fundAmount: '39661',
      mode: 'shares',
      unit: 'pounds',
      pot1Name: 'Upfront projects',
      pot1Share: '2',
      pot2Name: 'Tactical pot',
      pot2Share: '1',
      pot3Name: '',
      remainderTo: '1',
    });
    expect(ok.statusCode).toBe(303);
    const page = await coord.get(fundUrl);
    expect(page.body).toContain('£26,440');
    expect(page.body).toContain('£13,221');
    expect(page.body).toContain('with £1 left over from the split');
  });

  it('takes a lead’s proposal, votes, decisions, spend and outcomes', async () => {
    const form = await lead.get(`${fundUrl}/proposals/new`);
    expect(form.statusCode).toBe(200);
    const potId = /name="potId" type="radio" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const res = await lead.post(`${fundUrl}/proposals/new`, {
      title: 'Bystander training for door staff',
      leadAgencyId: String(w.agencies.council),
      potId,
      requested: '2,500',
      summary: 'Two sessions for door staff in the town centre.',
      deliveryStart: '2025-09-01',
    });
    expect(res.statusCode).toBe(303);
    proposalUrl = location(res).replace(/\?.*$/, '');
    expect((await lead.get(proposalUrl)).body).toContain('From 1 September 2025');
    // The form gives the date back as people write it, and reads it so.
    expect((await lead.get(`${proposalUrl}/edit`)).body).toContain('value="1 September 2025"');
    // Viewers and other partnerships do not see a proposal before it is approved.
    expect((await viewer.get(proposalUrl)).statusCode).toBe(404);
    expect((await outsider.get(proposalUrl)).statusCode).toBe(404);
    expect((await outsider.get(fundUrl)).statusCode).toBe(404);

    await coord.get(proposalUrl);
    expect((await coord.post(`${proposalUrl}/voting`, { closesOn: today })).statusCode).toBe(303);
    await voter.get(proposalUrl);
    expect((await voter.post(`${proposalUrl}/vote`, { choice: 'support' })).statusCode).toBe(303);
    const again = await voter.post(`${proposalUrl}/vote`, { choice: 'oppose' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain(
      'You have already voted on this proposal: change your vote instead',
    );
    await voter.get(proposalUrl);
    expect(
      (await voter.post(`${proposalUrl}/vote`, { choice: 'support', change: 'yes' })).statusCode,
    ).toBe(303);
    // While the vote is open the tally is only so far; once closed it is the result.
    expect((await coord.get(proposalUrl)).body).toContain('Met so far');
    expect((await coord.post(`${proposalUrl}/close-voting`)).statusCode).toBe(303);
    expect((await coord.get(proposalUrl)).body).toMatch(/>\s*Met\s*</);
    for (const to of ['shortlisted', 'detail-requested', 'submitted']) {
      await coord.get(proposalUrl);
      const moved = await coord.post(`${proposalUrl}/stage`, { to, reason: `Moved to ${to}` });
      expect(moved.statusCode, moved.body.slice(0, 200)).toBe(303);
    }
    await coord.get(`${proposalUrl}/decision`);
    await coord.post(`${proposalUrl}/decision`, {
      decider: 'chair',
      decision: 'approve',
      amount: '2,500',
      decidedOn: today,
    });
    expect((await coord.get(fundUrl)).body).toContain('Pending');
    await coord.get(`${proposalUrl}/decision`);
    await coord.post(`${proposalUrl}/decision`, {
      decider: 'funder',
      decision: 'approve',
      amount: '2,500',
      decidedOn: today,
    });
    await coord.get(proposalUrl);
    await coord.post(`${proposalUrl}/stage`, { to: 'in-delivery', reason: 'Booked' });
    await coord.get(`${proposalUrl}/spend`);
    const over = await coord.post(`${proposalUrl}/spend`, { paidOn: today, amount: '2,600' });
    expect(over.statusCode).toBe(400);
    expect(over.body).toContain('give a reason to record it anyway');
    // A date typed as people write it in the UK is read as that day.
    const [y, m, d] = today.split('-');
    expect(
      (await coord.post(`${proposalUrl}/spend`, { paidOn: `${d}/${m}/${y}`, amount: '2,400' }))
        .statusCode,
    ).toBe(303);
    await lead.get(`${proposalUrl}/outcomes`);
    expect(
      (
        await lead.post(`${proposalUrl}/outcomes`, {
          sessionsDelivered: '2',
          reach: 'Door staff: 38',
          feedback: 'All would recommend it',
        })
      ).statusCode,
    ).toBe(303);
    const page = await viewer.get(proposalUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Door staff: 38');
    expect(page.body).toContain('£2,400 spent of £2,500 approved');
    expect(page.body).not.toContain('How members voted');
  });

  it('lists the fund with its approved and spent totals', async () => {
    const res = await viewer.get(`/partnerships/${w.slug}/funding`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Crime Reduction Grant 2025/26');
    expect(res.body).toContain('£2,500');
    expect(res.body).toContain('£2,400');
  });

  it('downloads the funding report in each format, and no other', async () => {
    const page = await coord.get(fundUrl);
    expect(page.body).toContain(`href="${fundUrl}/report/docx"`);
    const docx = await coord.get(`${fundUrl}/report/docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toMatch(
      /attachment; filename="county-crime-reduction-grant-2025-26-funding-report\.docx"/,
    );
    const json = await coord.get(`${fundUrl}/report/json`);
    expect(JSON.parse(json.body)).toMatchObject({
      totals: { grantedPence: 3_966_100, spentPence: 240_000 },
    });
    expect((await coord.get(`${fundUrl}/report/pdf`)).statusCode).toBe(404);
    expect((await outsider.get(`${fundUrl}/report/json`)).statusCode).toBe(404);
  });
});
