import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { formatMoney } from '../../src/domain/money.js';
import { renderFundingReport } from '../../src/features/funding/funding-outputs.js';
import type {
  FundingReport,
  FundingReportProject,
} from '../../src/features/funding/funding-report.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { fieldErrorsOf } from '../helpers/factories.js';
import { fundingWorld, type FundingWorld } from '../helpers/funding-fixture.js';

/**
 * The county working group's update of July 2023, entered as its coordinator and members would:
 * the 2022/23 round (£39,661 granted, £27,765 spent on six projects, £11,896 returned) and the
 * 2023/24 round (an indicative £39,661, fifteen proposals, seven sent for approval, six approved
 * and one pending). The paper gives two projects' amounts one way in its list and swapped in its
 * appendix, and a tactical pot of £13,220 beside one of £13,221; neither can be recorded here.
 */
let t: TestApp;
let w: FundingWorld;
let c: Actor;

beforeAll(async () => {
  t = await testApp();
  w = await fundingWorld(t.services, { slug: 'kent', name: 'Kent CSP' });
  c = w.coordinator;
});
afterAll(async () => t.close());

const fundInput = (year: string, status: 'indicative' | 'confirmed', confirmedOn?: string) => ({
  source: 'Police and Crime Commissioner',
  name: 'Crime Reduction Grant',
  year,
  amount: '£39,661',
  status,
  confirmedOn,
  priorities: [
    'Violence against women and girls',
    'Anti-social behaviour',
    'Safer streets',
    'Children and young people at risk',
    'Serious violence duty',
  ].join('\n'),
  workingGroupId: String(w.groupId),
  voteThreshold: 'consensus',
});

const twoThirds = {
  mode: 'shares',
  remainderTo: '1',
  pots: [
    { name: 'Upfront projects', share: '2' },
    { name: 'Tactical pot', share: '1' },
  ],
};

async function propose(fundId: number, potId: number, title: string, amount: string, by?: Actor) {
  return w.funding.proposals.submitProposal(by ?? w.voters[0] ?? w.coordinator, 'kent', fundId, {
    title,
    leadAgencyId: String(w.agencies.council),
    potId: String(potId),
    requested: amount,
    summary: `${title}: what the project does, for whom.`,
  });
}

/** Votes, shortlists, asks for detail and submits a proposal for approval. */
async function toSubmitted(id: number, voteDay: string, closeDay: string, afterDay: string) {
  w.clock.set(voteDay);
  await w.funding.proposals.openVoting(c, 'kent', id, { closesOn: closeDay });
  for (const v of w.voters) await w.funding.proposals.vote(v, 'kent', id, { choice: 'support' });
  w.clock.set(afterDay);
  await w.funding.proposals.moveStage(c, 'kent', id, {
    to: 'shortlisted',
    reason: 'Consensus at the meeting',
  });
  await w.funding.proposals.moveStage(c, 'kent', id, {
    to: 'detail-requested',
    reason: 'Detail needed',
  });
  await w.funding.proposals.moveStage(c, 'kent', id, {
    to: 'submitted',
    reason: 'In the business case',
  });
}

async function approveBoth(id: number, amount: string, day: string) {
  await w.funding.proposals.decide(c, 'kent', id, {
    decider: 'chair',
    decision: 'approve',
    amount,
    decidedOn: day,
  });
  return w.funding.proposals.decide(c, 'kent', id, {
    decider: 'funder',
    decision: 'approve',
    amount,
    decidedOn: day,
  });
}

describe('the 2022/23 round', () => {
  let fundId: number;

  it('refuses the paper’s pots of £26,440 and £13,220, which miss the £39,661 grant by £1', async () => {
    fundId = (
      await w.funding.createFund(c, 'kent', fundInput('2022/23', 'confirmed', '2022-04-01'))
    ).id;
    expect(
      await fieldErrorsOf(
        w.funding.splitPots(c, 'kent', fundId, {
          mode: 'amounts',
          pots: [
            { name: 'Upfront projects', amount: '26,440' },
            { name: 'Tactical pot', amount: '13,220' },
          ],
        }),
      ),
    ).toEqual({ pots: 'The pots add up to £39,660, £1 less than the fund of £39,661' });
    const fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.pots).toEqual([]);
  });

  it('splits two thirds and one third, the remainder pound going to the tactical pot', async () => {
    const split = await w.funding.splitPots(c, 'kent', fundId, twoThirds);
    expect(split).toEqual({ parts: [2_644_000, 1_322_100], remainderPence: 100, remainderTo: 1 });
    const fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.pots.map((p) => [p.name, p.allocated, p.remainder])).toEqual([
      ['Upfront projects', 2_644_000, 0],
      ['Tactical pot', 1_322_100, 100],
    ]);
  });

  it('spends £27,765 on six projects and returns £11,896 at the year end', async () => {
    const fund = await w.funding.fund(c, 'kent', fundId);
    const [upfront, tactical] = fund.pots.map((p) => p.id) as [number, number];
    // The three projects reported in March (their £5,460 together) and the three in July.
    const projects: [string, number, string][] = [
      ['Project reported in March (1)', upfront, '2,000'],
      ['Project reported in March (2)', upfront, '1,960'],
      ['Project reported in March (3)', upfront, '1,500'],
      ['Trauma awareness programme', upfront, '13,000'],
      ['Gaming and online hate awareness', upfront, '4,600'],
      ['VAWG conference', tactical, '4,705'],
    ];
    for (const [i, [title, pot, amount]] of projects.entries()) {
      w.clock.set('2022-05-02');
      const { id } = await propose(fundId, pot, title, amount);
      await toSubmitted(id, '2022-05-02', '2022-05-09', '2022-05-10');
      w.clock.set('2022-06-01');
      expect(await approveBoth(id, amount, '2022-06-01')).toBe('approved');
      await w.funding.proposals.moveStage(c, 'kent', id, { to: 'in-delivery', reason: 'Started' });
      await w.funding.proposals.recordSpend(c, 'kent', id, {
        paidOn: `2023-0${(i % 3) + 1}-15`,
        amount,
      });
      await w.funding.proposals.recordOutcome(c, 'kent', id, {
        narrative: 'Delivered as planned.',
      });
      await w.funding.proposals.moveStage(c, 'kent', id, {
        to: 'delivered',
        reason: 'Year-end feedback in',
      });
    }
    const end = await w.funding.closeYear(c, 'kent', fundId, { closedOn: '2023-03-31' });
    expect(end).toEqual({ granted: 3_966_100, spent: 2_776_500, returned: 1_189_600 });
    const after = await w.funding.fund(c, 'kent', fundId);
    expect(after.totals).toMatchObject({
      allocated: 3_966_100,
      committed: 2_776_500,
      spent: 2_776_500,
      underspend: 1_189_600,
    });
    expect(after.returned).toBe(1_189_600);
    expect(after.moves.at(-1)).toMatchObject({ kind: 'return', amount: 1_189_600 });
  });
});

describe('the 2023/24 round', () => {
  let fundId: number;
  let upfront: number;
  let tactical: number;
  const ids = new Map<string, number>();
  const idOf = (title: string): number => {
    const id = ids.get(title);
    if (id === undefined) throw new Error(`no proposal ${title}`);
    return id;
  };
  // As the list of the paper gives them; its appendix swaps the first two amounts.
  const sent: [string, string][] = [
    ['Domestic abuse bitesize training videos', '4,200'],
    ['Reducing abusive behaviour policy and training', '5,440'],
    ['Online library of PSHE school resources', '6,000'],
    ['Tackling victim-blaming language training', '1,600'],
    ['ASB workshop and CPD event', '5,000'],
    ['Community safety information sessions', '1,500'],
    ['Hateful extremism CPD event', '3,500'],
  ];

  beforeAll(async () => {
    w.clock.set('2023-04-03');
    fundId = (await w.funding.createFund(c, 'kent', fundInput('2023/24', 'indicative'))).id;
    await w.funding.splitPots(c, 'kent', fundId, twoThirds);
    const fund = await w.funding.fund(c, 'kent', fundId);
    [upfront, tactical] = fund.pots.map((p) => p.id) as [number, number];
  });

  it('keeps the fund indicative until confirmed, with a tactical pot of £13,221', async () => {
    const fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.status).toBe('indicative');
    expect(fund.pots.map((p) => p.allocated)).toEqual([2_644_000, 1_322_100]);
    expect(fund.priorities).toHaveLength(5);
  });

  it('receives fifteen proposals, sends seven to the chair and the funder', async () => {
    for (const [title, amount] of sent)
      ids.set(title, (await propose(fundId, upfront, title, amount)).id);
    for (let i = 1; i <= 8; i++) {
      ids.set(
        `Outline ${i}`,
        (await propose(fundId, tactical, `Outline proposal ${i}`, '2,500')).id,
      );
    }
    let fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.proposals).toHaveLength(15);
    expect(fund.totals.proposed).toBe(2_724_000 + 8 * 250_000);
    for (const [title] of sent)
      await toSubmitted(idOf(title), '2023-04-17', '2023-04-24', '2023-04-25');
    fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.proposals.filter((p) => p.stage === 'submitted')).toHaveLength(7);
  });

  it('cannot record one project at two amounts: the chair and the funder must approve the same', async () => {
    const rab = idOf('Reducing abusive behaviour policy and training');
    w.clock.set('2023-06-20');
    await w.funding.proposals.decide(c, 'kent', rab, {
      decider: 'chair',
      decision: 'approve',
      amount: '5,440',
      decidedOn: '2023-06-20',
    });
    expect(
      await fieldErrorsOf(
        w.funding.proposals.decide(c, 'kent', rab, {
          decider: 'funder',
          decision: 'approve',
          amount: '4,200',
          decidedOn: '2023-06-20',
        }),
      ),
    ).toEqual({
      amount:
        'The chair and the funder approved different amounts: record both decisions with the same amount',
    });
    // Nothing of the refused decision was kept.
    const p = await w.funding.proposals.proposal(c, 'kent', rab);
    expect(p.stage).toBe('pending');
    expect(p.decisions.map((d) => d.decider)).toEqual(['chair']);
  });

  it('approves six and leaves the school resources pending, visible as pending', async () => {
    for (const [title, amount] of sent) {
      const id = idOf(title);
      if (title.startsWith('Online library')) {
        await w.funding.proposals.decide(c, 'kent', id, {
          decider: 'chair',
          decision: 'approve',
          amount,
          decidedOn: '2023-06-20',
        });
        await w.funding.proposals.decide(c, 'kent', id, {
          decider: 'funder',
          decision: 'pending',
          decidedOn: '2023-06-30',
          note: 'Joint funding with the VRU to be agreed',
        });
      } else if (title.startsWith('Reducing')) {
        await w.funding.proposals.decide(c, 'kent', id, {
          decider: 'funder',
          decision: 'approve',
          amount,
          decidedOn: '2023-06-30',
        });
      } else {
        await approveBoth(id, amount, '2023-06-30');
      }
    }
    const fund = await w.funding.fund(c, 'kent', fundId);
    const byStage = (s: string) => fund.proposals.filter((p) => p.stage === s).map((p) => p.title);
    expect(byStage('approved')).toHaveLength(6);
    expect(byStage('pending')).toEqual(['Online library of PSHE school resources']);
    expect(fund.pendingCount).toBe(1);
    expect(fund.totals.committed).toBe(2_124_000);
    expect(fund.pots.find((p) => p.id === upfront)).toMatchObject({
      allocated: 2_644_000,
      committed: 2_124_000,
      remaining: 520_000,
      proposed: 600_000,
    });
    // The projects have one amount each, whatever a paper says.
    const amount = (t: string) => fund.proposals.find((p) => p.title.startsWith(t))?.approved;
    expect(amount('Domestic abuse bitesize')).toBe(420_000);
    expect(amount('Reducing abusive')).toBe(544_000);
  });

  it('needs an explicit reason to approve the pending £6,000 past the £5,200 left in the pot', async () => {
    const id = idOf('Online library of PSHE school resources');
    const input = {
      decider: 'funder',
      decision: 'approve',
      amount: '6,000',
      decidedOn: '2023-07-20',
    };
    expect(await fieldErrorsOf(w.funding.proposals.decide(c, 'kent', id, input))).toEqual({
      overrideReason:
        'Approving £6,000 is more than the £5,200 left in the Upfront projects: give a reason to approve it anyway',
    });
    expect((await w.funding.proposals.proposal(c, 'kent', id)).stage).toBe('pending');
    await w.funding.proposals.decide(c, 'kent', id, {
      ...input,
      overrideReason: 'The VRU meets half; the tactical pot covers the gap',
    });
    const fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.pots.find((p) => p.id === upfront)).toMatchObject({
      committed: 2_724_000,
      remaining: -80_000,
    });
    expect(fund.moves).toContainEqual(
      expect.objectContaining({
        kind: 'approval-override',
        amount: 80_000,
        reason: 'The VRU meets half; the tactical pot covers the gap',
      }),
    );
  });

  it('moves £800 from the tactical pot to cover it, as a recorded virement', async () => {
    w.clock.set('2023-07-21');
    await w.funding.vire(c, 'kent', fundId, {
      fromPotId: String(tactical),
      toPotId: String(upfront),
      amount: '800',
      reason: 'Cover the school resources',
    });
    const fund = await w.funding.fund(c, 'kent', fundId);
    expect(fund.pots.map((p) => [p.allocated, p.remaining])).toEqual([
      [2_724_000, 0],
      [1_242_100, 1_242_100],
    ]);
    expect(fund.pots.reduce((a, p) => a + p.allocated, 0)).toBe(3_966_100);
    expect(fund.moves.at(-1)).toMatchObject({ kind: 'virement', amount: 80_000 });
    expect(fund.moves.at(-1)?.at.slice(0, 10)).toBe('2023-07-21');
  });
});

describe('the funding reports', () => {
  const fundIdOf = async (year: string) =>
    (await w.funding.listFunds(c, 'kent')).find((f) => f.year === year)?.id ?? 0;

  it('gives the 2022/23 allocation, spend and return exactly, in pence', async () => {
    const report = await w.funding.report(c, 'kent', await fundIdOf('2022/23'));
    expect(report.allocation.amountPence).toBe(3_966_100);
    expect(report.allocation.pots.map((p) => [p.name, p.allocatedPence, p.remainderPence])).toEqual(
      [
        ['Upfront projects', 2_644_000, 0],
        ['Tactical pot', 1_322_100, 100],
      ],
    );
    expect(report.totals).toMatchObject({
      grantedPence: 3_966_100,
      spentPence: 2_776_500,
      returnedPence: 1_189_600,
      closedOn: '2023-03-31',
    });
    expect(report.projects).toHaveLength(6);
    expect(report.projects.every((x) => x.stage === 'delivered')).toBe(true);
    const json = JSON.parse(
      (await renderFundingReport(report, 'json')).toString(),
    ) as FundingReport;
    expect(json.totals.returnedPence).toBe(1_189_600);
  });

  it('counts the 2023/24 proposals and lists each project at one amount in the list and the appendix', async () => {
    const report = await w.funding.report(c, 'kent', await fundIdOf('2023/24'));
    expect(report.proposals).toEqual({
      received: 15,
      shortlisted: 7,
      submittedForApproval: 7,
      approved: 7,
      pending: 0,
      declined: 0,
      withdrawn: 0,
    });
    const html = (await renderFundingReport(report, 'html')).toString();
    const [list, appendix] = html.split('<h2>Appendix: project summaries</h2>') as [string, string];
    for (const x of report.projects) {
      const amount = formatMoney(x.amountPence);
      expect(list).toContain(`<th scope="row">${escapeHtml(x.title)}</th>`);
      expect(appendix).toContain(`<h3>${escapeHtml(x.title)} (${amount})</h3>`);
    }
    expect(appendix).toContain('Domestic abuse bitesize training videos (£4,200)');
    expect(appendix).toContain('Reducing abusive behaviour policy and training (£5,440)');
  });

  it('writes a Word document with headings in the outline and tables with header rows', async () => {
    const report = await w.funding.report(c, 'kent', await fundIdOf('2022/23'));
    const docx = await renderFundingReport(report, 'docx');
    const { value, messages } = await mammoth.convertToHtml({ buffer: docx });
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    for (const h of ['Allocation', 'Proposals', 'Projects', 'Spend and underspend', 'Outcomes']) {
      expect(value).toContain(`<h1>${h}</h1>`);
    }
    expect(value).toContain('<h1>Appendix: project summaries</h1>');
    expect(value).toContain('<h2>Trauma awareness programme (£13,000)</h2>');
    expect(value).toMatch(/<table><thead><tr><th><p><strong>Pot<\/strong><\/p><\/th>/);
    expect(value).toContain(
      '<td><p>Returned to the funder at the year end (31 March 2023)</p></td><td><p>£11,896</p></td>',
    );
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string');
    expect(xml).toContain('<w:tblHeader/>');
  });

  it('writes the figures to a workbook in pence, with typed text unable to run as a formula', async () => {
    const id = await fundIdOf('2022/23');
    const report = await w.funding.report(c, 'kent', id);
    const hostile = {
      ...report,
      projects: [{ ...report.projects[0], title: '=HYPERLINK("x")' } as FundingReportProject],
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await renderFundingReport(hostile, 'xlsx')) as unknown as ArrayBuffer,
    );
    const fund = workbook.getWorksheet('Fund');
    expect(fund?.getRow(2).values).toEqual([undefined, 'Granted', 3_966_100, '£39,661']);
    expect(fund?.getRow(7).values).toEqual([undefined, 'Returned', 1_189_600, '£11,896']);
    expect(workbook.getWorksheet('Projects')?.getRow(2).getCell(1).value).toBe('\'=HYPERLINK("x")');
  });
});

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
