/**
 * routesFor: the official routes for one situation, filtered and ordered for this model and iOS
 * version. Pure: the knowledge base in, a plain JSON-ready answer out (CLI --json, web wizard).
 */
import { UsageError, InternalError } from '../errors.js';
import { findModel, maxIosMajor, suggestModel, type DeviceModel } from '../models/models.js';
import { compareIos, formatIos, parseIosVersion, type IosVersion } from './ios-version.js';
import { KNOWLEDGE_VERSION, NEVER_BUILT, ROUTES, SITUATIONS, SITUATION_IDS, type NeverBuilt, type RouteDef, type SituationId } from './data/knowledge.js';
import { fillDevice, modeInstructions, modeInstructionsFor, RECOVERY_FAMILIES, type ModeInstructions } from './recovery-steps.js';
import { ATTEMPT_DELAYS, DELAYS_NOTES, DELAYS_SOURCE, LOCKOUT_FIRST, TRAPS, TRAP_PLACES, type AttemptDelay, type Trap } from './lockout.js';
import type { Route } from './route-types.js';

export interface RoutesQuery {
  situation: string;
  /** ProductType, marketing name, or a model from the table */
  model?: string | DeviceModel;
  /** installed iOS version: "17", "17.5" */
  ios?: string;
}

export type { Route } from './route-types.js';

export interface ExcludedRoute {
  id: string;
  title: string;
  reason: string;
}

export interface RoutesAnswer {
  knowledgeVersion: string;
  situation: { id: SituationId; title: string; summary: string };
  /** provisional: a model not confirmed by Apple yet (name and details from early sources) */
  model?: { productType: string; name: string; variant?: string; lastIos?: string; provisional?: true };
  /** as given: "15" (some 15.x) or "15.2" */
  ios?: string;
  /** for a lockout: what to do before anything else (keep charging, do not restart, account ready) */
  doFirst?: string[];
  routes: Route[];
  excluded: ExcludedRoute[];
  never: NeverBuilt[];
  /** every warning that applies; routes[].warnings says which ones to read before which route */
  traps: Trap[];
  delays?: { table: readonly AttemptDelay[]; notes: readonly string[]; source: string };
  /** Recovery/DFU instructions for the model, when a route uses Recovery Mode and the model is known */
  modes?: ModeInstructions;
  /** without a model: every family's instructions, each saying which devices it covers */
  allModes?: ModeInstructions[];
}

function isSituationId(s: string): s is SituationId {
  return (SITUATION_IDS as readonly string[]).includes(s);
}

export function resolveModel(model: string | DeviceModel | undefined): DeviceModel | undefined {
  if (model === undefined || typeof model !== 'string') return model;
  const m = findModel(model);
  if (!m) {
    const close = suggestModel(model);
    throw new UsageError(`--model ${JSON.stringify(model)}: unknown model${close ? ` (did you mean "${close}"?)` : ''}; give a ProductType (iPhone13,2) or a name (iPhone 12)`);
  }
  return m;
}

function conditionsOf(r: RouteDef): string[] {
  const c: string[] = [];
  if (r.minIos && r.untilIos) c.push(`iOS ${r.minIos} up to (not including) ${r.untilIos}`);
  else if (r.minIos) c.push(`iOS ${r.minIos} or later`);
  else if (r.untilIos) c.push(`iOS older than ${r.untilIos}`);
  if (r.productTypes) c.push('only some models (see the list in the knowledge base)');
  return c;
}

/** Why a route cannot apply, or undefined when it can (or might). */
function exclusion(r: Pick<RouteDef, 'minIos' | 'untilIos' | 'productTypes'>, model: DeviceModel | undefined, ios: IosVersion | undefined): string | undefined {
  const name = model ? model.name : undefined;
  if (r.productTypes && model && !r.productTypes.includes(model.productType)) return `not available on the ${name}`;
  if (ios) {
    if (r.minIos && compareIos(ios, parseIosVersion(r.minIos)) < 0) return `needs iOS ${r.minIos} or later (you have ${formatIos(ios)})`;
    if (r.untilIos && compareIos(ios, parseIosVersion(r.untilIos)) >= 0) return `only before iOS ${r.untilIos} (you have ${formatIos(ios)})`;
  } else if (model && r.minIos && maxIosMajor(model) < parseIosVersion(r.minIos)[0]) {
    return `needs iOS ${r.minIos} or later; the ${name} gets iOS ${maxIosMajor(model)} at most`;
  }
  return undefined;
}

/** "15" or "iOS 15": the owner knows the major version only, so it may be any 15.x. */
function isMajorOnly(text: string | undefined): boolean {
  return text !== undefined && /^\s*(?:i(?:pad)?os\s*)?\d{1,2}\s*$/i.test(text);
}

/** The highest release of a major version, for "could this apply on some 15.x?". */
const LATEST_MINOR = 99;

/** Ids of the shown routes a warning is about, or undefined for a general warning. */
function routesConcerned(trapId: string, routes: readonly Route[]): string[] | undefined {
  const before = TRAP_PLACES[trapId]?.before;
  if (!before) return undefined;
  return routes.filter((r) => (before === 'erase' ? !r.keepsData : before.includes(r.id))).map((r) => r.id);
}

export function routesFor(query: RoutesQuery): RoutesAnswer {
  if (!isSituationId(query.situation)) {
    throw new UsageError(`--situation ${JSON.stringify(query.situation)}: unknown; one of ${SITUATION_IDS.join(', ')}`);
  }
  const sit = SITUATIONS[query.situation];
  const model = resolveModel(query.model);
  const ios = query.ios !== undefined ? parseIosVersion(query.ios) : undefined;
  // "15" alone: routes that need 15.2 are not ruled out, they are shown as "if yours has 15.2 or later".
  const latest: IosVersion | undefined = ios && isMajorOnly(query.ios) ? [ios[0], LATEST_MINOR, 0] : undefined;
  // Only discontinued models have a known ceiling; a still-supported one may run a release newer than our data.
  if (model?.lastIos && ios && ios[0] > maxIosMajor(model)) {
    throw new UsageError(`--ios ${query.ios}: the ${model.name} gets iOS ${maxIosMajor(model)} at most`);
  }
  const kind = model?.kind;
  const fill = (s: string) => fillDevice(s, kind);

  const routes: Route[] = [];
  const excluded: ExcludedRoute[] = [];
  let usesRecovery = false;
  for (const id of sit.routes) {
    const r = ROUTES[id];
    const why = exclusion(r, model, ios);
    const onLaterMinor = why !== undefined && latest !== undefined && exclusion(r, model, latest) === undefined;
    if (why && !onLaterMinor) {
      excluded.push({ id, title: fill(r.title), reason: latest ? why.replace(`(you have ${formatIos(ios!)})`, `(you have iOS ${ios![0]})`) : why });
      continue;
    }
    const conditions = conditionsOf(r);
    const checked = ((!r.minIos && !r.untilIos) || ios !== undefined) && !onLaterMinor;
    const route: Route = {
      id,
      title: fill(r.title),
      keepsData: r.keepsData,
      requires: r.requires.map(fill),
      steps: r.steps.map(fill),
      source: r.source,
      conditions,
      applies: checked && (!r.productTypes || model !== undefined) ? 'yes' : 'check',
    };
    if (r.notes) route.notes = r.notes.map(fill);
    if (onLaterMinor) {
      const later = `Only if your {device} has iOS ${r.minIos} or later: most on iOS ${ios![0]} have a later ${ios![0]}.x, and the {device} shows whether it offers this.`;
      route.notes = [fill(later), ...(route.notes ?? [])];
    }
    routes.push(route);
    usesRecovery ||= r.usesRecoveryMode === true;
  }

  const answer: RoutesAnswer = {
    knowledgeVersion: KNOWLEDGE_VERSION,
    situation: { id: sit.id, title: fill(sit.title), summary: fill(sit.summary) },
    routes,
    excluded,
    never: (sit.never ?? []).map((n) => NEVER_BUILT[n]),
    traps: [],
  };
  for (const t of sit.traps ?? []) {
    const trap = TRAPS.find((x) => x.id === t);
    if (!trap) throw new InternalError(`knowledge base: unknown trap ${t}`);
    const minIos = TRAP_PLACES[t]?.minIos;
    // Only where it applies: an iOS 17.3 warning is not for an iOS 15 phone.
    if (minIos && exclusion({ minIos }, model, latest ?? ios)) continue;
    const concerned = routesConcerned(t, routes);
    if (concerned && concerned.length === 0) continue;
    if (concerned) {
      const first = routes.find((r) => r.id === concerned[0])!;
      (first.warnings ??= []).push(t);
    }
    answer.traps.push({ ...trap, title: fill(trap.title), text: fill(trap.text) });
  }
  if (sit.lockout) answer.doFirst = LOCKOUT_FIRST.map(fill);
  if (model) {
    answer.model = { productType: model.productType, name: model.name };
    if (model.variant) answer.model.variant = model.variant;
    if (model.lastIos) answer.model.lastIos = model.lastIos;
    if (model.provisional) answer.model.provisional = true;
  }
  if (ios) answer.ios = latest ? String(ios[0]) : formatIos(ios);
  if (sit.showDelays) answer.delays = { table: ATTEMPT_DELAYS, notes: DELAYS_NOTES, source: DELAYS_SOURCE };
  if (usesRecovery) {
    const modes = model ? modeInstructionsFor(model) : undefined;
    if (modes) answer.modes = modes;
    else answer.allModes = RECOVERY_FAMILIES.map((f) => modeInstructions(f));
  }
  return answer;
}

/** Every situation, for menus and `--help`. */
export function listSituations(): Array<{ id: SituationId; title: string; question: string }> {
  return SITUATION_IDS.map((id) => ({ id, title: fillDevice(SITUATIONS[id].title, undefined), question: fillDevice(SITUATIONS[id].question, undefined) }));
}
