// Internal helpers of the policy engine. Not re-exported by the barrel.

/** Rule id of the finding reported for a suppression that matched no finding. */
export const STALE_SUPPRESSION_RULE_ID = 'SS-POLICY-001';
/** Rule id of the finding reported when a rule throws on a document (a malformed document). */
export const RULE_CRASHED_RULE_ID = 'SS-POLICY-002';
/** Rule id of the finding reported for an input document that cannot be checked (CLI). */
export const BAD_INPUT_RULE_ID = 'SS-POLICY-003';

/** The synthetic rules the engine itself reports, for SARIF `rules` and the JSON report. */
export const ENGINE_RULES = [
  {
    id: STALE_SUPPRESSION_RULE_ID,
    severity: 'warning',
    message: 'A suppression matches no finding',
    fix: 'remove the suppression, or fix its rule id or its scope',
    pack: 'engine',
  },
  {
    id: RULE_CRASHED_RULE_ID,
    severity: 'error',
    message: 'A rule could not check a document (malformed document)',
    fix: 'check that the document has the shape its kind requires',
    pack: 'engine',
  },
  {
    id: BAD_INPUT_RULE_ID,
    severity: 'error',
    message: 'An input document cannot be checked (not YAML, not an object, or no kind)',
    fix: 'fix the file so every document is a Kubernetes object with apiVersion and kind',
    pack: 'engine',
  },
];

/**
 * True when a suppression registered at `scopePath` covers a document at `docPath`.
 */
export function covers(scopePath: string, docPath: string): boolean {
  if (scopePath === '') return true;
  if (docPath === scopePath) return true;
  if (!docPath.startsWith(scopePath)) return false;
  const c = docPath.charAt(scopePath.length);
  return c === '/' || c === '#';
}
