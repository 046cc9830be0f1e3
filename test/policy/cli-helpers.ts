// Helpers of the `shipshape check` tests: run the command in-process, and temporary folders that are removed
// after the test file (call `removeTempDirsAfterAll()` once at the top of the file).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/policy/cli';

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `shipshape <argv>` in this process; stdout and stderr are captured. */
export async function run(argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: s => { out += s; }, err: s => { err += s; } });
  return { code, out, err };
}

const dirs: string[] = [];

/** A new temporary folder, removed after the test file. */
export function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cli-'));
  dirs.push(d);
  return d;
}

/** Registers the removal of every folder made by `tmpDir`. */
export function removeTempDirsAfterAll(): void {
  afterAll(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** Writes `files` (relative path -> content) under `dir`; returns `dir`. */
export function writeTree(dir: string, files: { [rel: string]: string }): string {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

/** A Service that breaks one warning rule (SS-K8S-051, NodePort) and nothing else of consequence. */
export const NODE_PORT_SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {type: NodePort, ports: [{port: 80}]}\n';
