/**
 * The glossary a new assessment starts with: the words and abbreviations partnerships use in
 * their papers, and the terms the figures need. The coordinator can change it freely.
 */
export const GLOSSARY_TERMS: [term: string, meaning: string][] = [
  ['ASB', 'Anti-social behaviour'],
  ['CSP', 'Community safety partnership'],
  ['CSE', 'Child sexual exploitation'],
  ['DA', 'Domestic abuse'],
  ['DHR', 'Domestic homicide review'],
  ['IOM', 'Integrated offender management'],
  ['LSOA', 'Lower layer super output area: a small area of about 1,500 people used by ONS'],
  ['MARAC', 'Multi-agency risk assessment conference'],
  ['Mid-year estimate', 'The ONS estimate of the population on 30 June of a year'],
  ['ONS', 'Office for National Statistics'],
  ['Rate per 1,000', 'The count divided by the population, times 1,000'],
  ['SV', 'Serious violence'],
  ['VAWG', 'Violence against women and girls'],
  ['VCS', 'Voluntary and community sector'],
  ['VRU', 'Violence reduction unit'],
  [
    'Ward',
    'An electoral ward: a council’s area for local elections, named by the year of its boundaries',
  ],
];

export const GLOSSARY = GLOSSARY_TERMS.map(([t, m]) => `${t}: ${m}`).join('\n');
