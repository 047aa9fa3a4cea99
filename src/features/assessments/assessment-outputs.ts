import type nunjucks from 'nunjucks';
import { createViewEnvironment } from '../../plugins/views.js';
import { THEME_TYPE_LABELS } from '../plans/plans.schemas.js';
import { assessmentDocx } from './assessment-docx.js';
import { chartsOf, type Chart } from './assessment-charts.js';
import type { Measure } from './assessment-figures.js';
import type { AssessmentDocument } from './assessments.service.js';

/** The files an assessment comes as: a web page, Word and JSON. */
export const ASSESSMENT_FORMATS = {
  html: { type: 'text/html; charset=utf-8', text: 'Web page (HTML)' },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    text: 'Word document (DOCX)',
  },
  json: { type: 'application/json; charset=utf-8', text: 'Figures and text (JSON)' },
} as const;
export type AssessmentFormat = keyof typeof ASSESSMENT_FORMATS;

export const isAssessmentFormat = (f: unknown): f is AssessmentFormat =>
  typeof f === 'string' && Object.hasOwn(ASSESSMENT_FORMATS, f);

/** "swale-strategic-assessment-2021-04-to-2022-03.docx". */
export function assessmentFilename(doc: AssessmentDocument, format: AssessmentFormat): string {
  const { from, to } = doc.window;
  return `${doc.partnership.slug}-strategic-assessment-${from}-to-${to}.${format}`;
}

/** The charts of both measures, by measure and kind, as the views name them. */
export function chartsByMeasure(doc: AssessmentDocument) {
  const out = {} as Record<Measure, { trend?: Chart; months?: Chart; types?: Chart }>;
  for (const m of [doc.figures.measures.crime, doc.figures.measures.asb]) {
    const charts = chartsOf(m);
    out[m.measure] = {
      trend: charts.find((c) => c.id.endsWith('-trend')),
      months: charts.find((c) => c.id.endsWith('-months')),
      types: charts.find((c) => c.id.endsWith('-types')),
    };
  }
  return out;
}

/** What the views need besides the document. */
export const viewHelpers = {
  typeLabels: THEME_TYPE_LABELS as Record<string, string>,
  n: (v: number | null | undefined) => (typeof v === 'number' ? v.toLocaleString('en-GB') : ''),
};

let views: nunjucks.Environment | undefined;

export async function renderAssessment(
  doc: AssessmentDocument,
  format: AssessmentFormat,
): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
    case 'html':
      views ??= createViewEnvironment();
      return Buffer.from(
        views.render('assessments/views/document.njk', {
          doc,
          charts: chartsByMeasure(doc),
          ...viewHelpers,
        }),
      );
    case 'docx':
      return assessmentDocx(
        doc,
        [doc.figures.measures.crime, doc.figures.measures.asb].flatMap(chartsOf),
        viewHelpers.typeLabels,
      );
  }
}
