/**
 * `irescue guide [--situation S] [--model M] [--ios V] [--json]`: Apple's official routes for a
 * lockout situation, for this model and iOS version. Without --situation it asks on a terminal and
 * is a usage error elsewhere. The answer comes from guide/routes.ts; this file only asks and prints.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError, CancelledError } from '../../errors.js';
import { routesFor, listSituations, resolveModel, type RoutesAnswer } from '../../guide/routes.js';
import { SITUATION_IDS } from '../../guide/data/knowledge.js';
import { parseIosVersion } from '../../guide/ios-version.js';
import { printJson } from '../json.js';
import { printPaged, wrapFor } from '../terminal.js';

interface GuideOptions {
  situation?: string;
  model?: string;
  ios?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('guide')
    .description('the official way out of a lockout, for your model and iOS version (asks when run without --situation)')
    .option('--situation <id>', `what happened: ${SITUATION_IDS.join(', ')}`)
    .option('--model <model>', 'ProductType (iPhone13,2) or name ("iPhone 12")')
    .option('--ios <version>', 'installed iOS version (17.5)')
    .option('--json', 'print the answer as one JSON document')
    .action(async (opts: GuideOptions) => {
      const query = opts.situation ? opts : await askQuestions(opts);
      const answer = routesFor({ situation: query.situation!, model: query.model, ios: query.ios });
      if (opts.json) printJson(answer);
      // Wrapped to the terminal, and paged there (about 130 lines): a worried owner must not lose the top.
      else printPaged(wrapFor(process.stdout, formatAnswer(answer, process.stdout.isTTY === true)));
    });
}

async function askQuestions(opts: GuideOptions): Promise<GuideOptions> {
  if (!(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new UsageError(`guide needs --situation when not run in a terminal (one of ${SITUATION_IDS.join(', ')})`);
  }
  const { select, text, isCancel, intro } = await import('@clack/prompts');
  const io = { output: process.stderr };
  const stop = (v: unknown): void => {
    if (isCancel(v)) throw new CancelledError('cancelled');
  };
  intro('irescue guide: Apple\'s official way out, for your device', io);
  const situation = await select({
    message: 'What happened?',
    options: listSituations().map((s) => ({ value: s.id, label: s.question.replaceAll('{device}', 'iPhone'), hint: s.id })),
    ...io,
  });
  stop(situation);
  let model = opts.model;
  if (model === undefined) {
    const m = await text({
      message: 'Which model? (e.g. "iPhone 12"; locked out? the name is on the box, or see support.apple.com/108044; leave empty if unsure)',
      validate: (v) => {
        if (!v || !v.trim()) return undefined;
        try {
          resolveModel(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
      ...io,
    });
    stop(m);
    model = (m as string | undefined)?.trim() || undefined;
  }
  let ios = opts.ios;
  if (ios === undefined) {
    const v = await text({
      message: 'Which iOS version? (e.g. 17.5; leave empty if unsure)',
      validate: (x) => {
        if (!x || !x.trim()) return undefined;
        try {
          parseIosVersion(x);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
      ...io,
    });
    stop(v);
    ios = (v as string | undefined)?.trim() || undefined;
  }
  return { situation: situation as string, model, ios };
}

/**
 * The answer as text for a terminal or a file, in the order a worried owner needs it: what to do
 * first, what irescue never does (and Apple's way instead), the routes with each warning just
 * before the route it is about, then the model's buttons, the wait times, and the general
 * warnings last.
 */
export function formatAnswer(a: RoutesAnswer, color = false): string {
  const c = color ? pc : { bold: (s: string) => s, dim: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, red: (s: string) => s, cyan: (s: string) => s };
  const out: string[] = [];
  const modelName = a.model ? `${a.model.name} (${a.model.productType}${a.model.provisional ? ', provisional: not confirmed by Apple yet' : ''})` : undefined;
  const about = [modelName, a.ios ? `iOS ${a.ios}` : undefined].filter(Boolean).join(', ');
  out.push(c.bold(a.situation.title) + (about ? ` — ${about}` : ''));
  out.push(a.situation.summary, '');
  if (a.doFirst?.length) {
    out.push(c.bold('Do this first:'));
    for (const d of a.doFirst) out.push(`  - ${d}`);
    out.push('');
  }
  if (a.never.length) {
    for (const n of a.never) out.push(c.yellow(`irescue will never offer ${n.what}.`) + ` ${n.why}`, `  Instead: ${n.instead.join('; ')}.`, `  Source: ${n.source}`);
    out.push('');
  }
  const trap = new Map(a.traps.map((t) => [t.id, t]));
  const placed = new Set(a.routes.flatMap((r) => r.warnings ?? []));
  out.push(c.bold('Routes, best first:'));
  a.routes.forEach((r, i) => {
    const data = r.keepsData ? c.green('keeps your data') : c.red('erases the device');
    out.push('', `${i + 1}. ${c.bold(r.title)} — ${data}`);
    if (r.conditions.length) out.push(`   When: ${r.conditions.join('; ')}${r.applies === 'check' ? ' (check yours)' : ''}`);
    if (r.requires.length) out.push(`   Needs: ${r.requires.join('; ')}`);
    for (const n of r.notes ?? []) out.push(`   Note: ${n}`);
    const warnings = (r.warnings ?? []).map((id) => trap.get(id)).filter((t) => t !== undefined);
    if (warnings.length) out.push(`   ${c.yellow('Before you start:')}`);
    for (const t of warnings) out.push(`   ! ${t.title}. ${t.text}`);
    r.steps.forEach((s, j) => out.push(`   ${String.fromCharCode(97 + j)}) ${s}`));
    out.push(c.dim(`   Source: ${r.source}`));
  });
  if (a.excluded.length) {
    out.push('', c.bold('Not available to you:'));
    for (const e of a.excluded) out.push(`  - ${e.title}: ${e.reason}`);
  }
  if (a.modes) {
    const m = a.modes;
    out.push('', c.bold(`Recovery Mode on this model (${m.covers}):`));
    out.push('  Turn off: ' + m.turnOff);
    out.push('  Method 1, device off:');
    m.recovery.holdWhileConnecting.forEach((s, j) => out.push(`    ${j + 1}. ${s}`));
    out.push('  Method 2, already connected:');
    m.recovery.sequenceWhileConnected.forEach((s, j) => out.push(`    ${j + 1}. ${s}`));
    out.push(`  You should see: ${m.recovery.screen}.`);
    out.push(`  ${RECOVERY_15_MINUTES}`);
    out.push(`  DFU mode (only if Recovery Mode restores keep failing${m.dfu.documentedByApple ? '' : '; community sequence, not documented by Apple'}):`);
    m.dfu.steps.forEach((s, j) => out.push(`    ${j + 1}. ${s}`));
    out.push(`  You should see: ${m.dfu.screen}.`);
    out.push(c.dim(`  Source: ${m.source}`));
  }
  if (a.allModes) {
    out.push('', c.bold('Recovery Mode buttons depend on the model; give --model to see yours. The families:'));
    for (const m of a.allModes) out.push(`  - ${m.covers}: ${m.recovery.sequenceWhileConnected.slice(1).join(' ')}`);
    out.push(`  ${RECOVERY_15_MINUTES}`);
  }
  if (a.delays) {
    out.push('', c.bold('Waiting times after wrong passcodes (approximate):'));
    for (const d of a.delays.table) {
      const which = d.through ? `attempts ${d.attempt}-${d.through}` : `attempt ${d.attempt}`;
      const wait = d.delayMinutes === null ? (d.note ? d.note : 'no wait') : d.delayMinutes >= 60 ? `${d.delayMinutes / 60} hour` : `${d.delayMinutes} min`;
      out.push(`  ${which}: ${wait}`);
    }
    for (const n of a.delays.notes) out.push(`  ${n}`);
    out.push(c.dim(`  Source: ${a.delays.source}`));
  }
  const general = a.traps.filter((t) => !placed.has(t.id));
  if (general.length) {
    out.push('', c.bold('Watch out:'));
    for (const t of general) out.push(`  - ${t.title}. ${t.text}`, c.dim(`    Source: ${t.source}`));
  }
  out.push('', c.dim(`Knowledge base ${a.knowledgeVersion}. Facts from Apple's support pages; check the source links for changes.`));
  return out.join('\n') + '\n';
}

/** Apple's caveat (118430), said where the buttons are: a slow download ends Recovery Mode, which is no reason to give up. */
const RECOVERY_15_MINUTES = 'If the download takes more than 15 minutes, the device leaves Recovery Mode by itself: nothing is lost; enter it again with the same buttons and choose Restore again.';
