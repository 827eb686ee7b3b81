/**
 * One official route out of a lockout: what the knowledge base writes (RouteDef) and what the
 * guide returns (Route; CLI --json, web wizard) share these words. The web wizard imports these
 * types, so the file has no imports of its own.
 */
export interface RouteText {
  id: string;
  title: string;
  keepsData: boolean;
  requires: string[];
  steps: string[];
  source: string;
  notes?: string[];
}

export interface Route extends RouteText {
  /** the iOS/model conditions of this route, in words ("iOS 17 or later") */
  conditions: string[];
  /** "yes": we checked the conditions; "check": they depend on something you did not tell us */
  applies: 'yes' | 'check';
  /** ids of the answer's warnings (traps) to read just before this route, where they matter */
  warnings?: string[];
}
