/** "1 action", "3 actions", "no actions": counts in sentences read as people write them. */
export function plural(n: number, one: string, many: string): string {
  return n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`;
}

// Words ending in "s" that are already singular, or the same in both.
const KEEP = /(?:ss|us|is|news|series|species)$/i;

/** The regular English ways to make a plural, most particular first. */
function singularWord(word: string): string {
  if (/^[A-Z\d]{2,}s$/.test(word)) return word.slice(0, -1); // KSIs, DHRs
  if (KEEP.test(word)) return word;
  if (/[^aeiou]ies$/i.test(word)) return word.slice(0, -3) + (/IES$/.test(word) ? 'Y' : 'y');
  if (/(?:ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A counted noun in the singular, as it reads before another noun: "343 incident increase",
 * "26 casualty decrease". Only the last word changes, and only by the regular English endings
 * ("incidents", "casualties", "KSIs", "searches"); a word it does not know stays as written.
 */
export function singularNoun(noun: string): string {
  const m = /^(.*?)(\S*)$/s.exec(noun.trim());
  const [, before = '', word = ''] = m ?? [];
  return before + singularWord(word);
}
