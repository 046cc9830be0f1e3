import * as fs from 'fs';
import { Errors } from '../../lib/core';
import { KubernetesPack, PolicyEngine } from '../../lib/policy';

// Assertions shared by the construct tests.

/** The message of the validation error `fn` throws (fails the test on any other outcome, a TypeError included). */
export function validationMessageOf(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(Error);
  if (!Errors.isValidationError(caught)) throw new Error(`not a validation error: ${(caught as Error).stack}`);
  return (caught as Error).message;
}

/** Asserts that `fn` throws a shipshape validation error whose message matches `message`. */
export function expectError(fn: () => unknown, message: string | RegExp): void {
  expect(validationMessageOf(fn)).toMatch(message);
}

/** The error findings of the default Kubernetes pack over `objs`, as `<rule> <kind>/<name>: <message>`. */
export function policyErrors(objs: any[]): string[] {
  const docs = objs.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace }));
  const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs);
  return report.errors.map(f => `${f.ruleId} ${f.kind} ${f.path} ${f.jsonPath}: ${f.message}`);
}

/** Runs `fn` with stderr (the policy summary, synth notes) silenced. */
export function quietly<T>(fn: () => T): T {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

/** Runs `fn` and returns what it wrote on stderr (nothing reaches the terminal). */
export function stderrOf(fn: () => unknown): string {
  let out = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => { out += String(t); return true; });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

/** Synthesizes `app` into its (temporary) output folder, then removes the folder; returns what synth wrote on stderr. */
export function stderrOfSynth(app: { readonly outdir: string; synth(): void }): string {
  try {
    return stderrOf(() => app.synth());
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}
