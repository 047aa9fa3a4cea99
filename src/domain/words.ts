/** "1 action", "3 actions", "no actions": counts in sentences read as people write them. */
export function plural(n: number, one: string, many: string): string {
  return n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`;
}
