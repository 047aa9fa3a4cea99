import {
  DEMO_COORDINATOR_EMAIL,
  loadDemo,
  type DemoResult,
} from '../features/demo/demo.service.js';
import { listWords, parseOptions, print, withServices } from './support.js';

export const DEMO_HELP = `Usage: saferplan demo

Loads the demo into the database: Kent County Community Safety Partnership (kent) and
Swale Community Safety Partnership (swale) under it, their agencies and groups, an
account for each role, and Swale's 2024/25 community safety plan with its September and
December 2024 update rounds. Maidstone Community Safety Partnership (maidstone), also
under Kent, keeps an indicator Swale keeps too (ASB incidents, April 2023 to March 2025),
for Kent's view of its districts' indicators. Prints each account's email address and
password, once. Refuses, changing nothing, when the demo is already there.`;

/** The sign-ins, once: the passwords are stored only as hashes. */
export function printSignIns(demo: DemoResult, siteUrl: string): void {
  const width = Math.max(...demo.signIns.map((s) => s.role.length));
  const emailWidth = Math.max(...demo.signIns.map((s) => s.email.length));
  const loaded = demo.partnerships.map((p) => `${p.name} (${p.slug})`);
  print(`Demo loaded: ${listWords(loaded, 'and')}.`);
  print();
  print(`Sign in at ${siteUrl}/sign-in with one of these demo accounts:`);
  print();
  print(`  ${'Role'.padEnd(width)}  ${'Email'.padEnd(emailWidth)}  Password`);
  for (const s of demo.signIns) {
    print(`  ${s.role.padEnd(width)}  ${s.email.padEnd(emailWidth)}  ${s.password}`);
  }
  print();
  print('The passwords are shown only this once. For a new sign-in link later, run');
  print(`  bin/saferplan user reset --email ${DEMO_COORDINATOR_EMAIL}`);
}

export async function runDemo(args: string[]): Promise<void> {
  const options = parseOptions(args, {}, 'demo');
  if (options.help) {
    print(DEMO_HELP);
    return;
  }
  await withServices(async (services) => {
    const demo = await loadDemo(services);
    printSignIns(demo, services.config.publicUrl);
  });
}
