import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { terraformWorkdir } from './terraform-validate';

/** The `terraform test` files of the examples (one folder per example). */
export const TFTEST_DIR = path.join(__dirname, 'tftest');

/** One `run` block of a test file. */
export interface TfRunBlock {
  readonly name: string;
  readonly text: string;
  /** Whether the run expects a refusal (`expect_failures`). */
  readonly expectsFailure: boolean;
}

/**
 * Splits a test file into its file-level blocks (mock providers, variables, overrides) and its runs.
 * Relies on the layout the files keep: `run "<name>" {` and its closing `}` at column 0.
 */
export function parseTestFile(text: string): { preamble: string; runs: TfRunBlock[] } {
  const starts = [...text.matchAll(/^run "([^"]+)" \{$/gm)];
  if (starts.length === 0) throw new Error('no run block found');
  const preamble = text.slice(0, starts[0].index);
  const runs = starts.map((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index! : text.length;
    const body = text.slice(m.index, end).trimEnd();
    if (!body.endsWith('}')) throw new Error(`run "${m[1]}" does not end with } at column 0`);
    return { name: m[1], text: `${body}\n`, expectsFailure: /^\s*expect_failures\s*=/m.test(body) };
  });
  return { preamble, runs };
}

/**
 * The same run without its `expect_failures` line, alone in a file with the preamble: Terraform then
 * reports the refusal as an error with its message (an expected failure prints nothing).
 */
export function refusalFile(preamble: string, run: TfRunBlock): string {
  return preamble + run.text.split('\n').filter((l) => !/^\s*expect_failures\s*=/.test(l)).join('\n');
}

/** The outcome of one `terraform test` command. */
export interface TfTestOutcome {
  /** Status of each run, keyed `<file>/<run>` (`pass`, `fail`, `error`, `skip`). */
  readonly runs: { [key: string]: string };
  /** Diagnostics of each run, keyed `<file>/<run>`: `<summary>: <detail>`. */
  readonly diagnostics: { [key: string]: string[] };
  /** Diagnostics outside any run (configuration errors). */
  readonly other: string[];
  /** The summary line. */
  readonly summary: string;
}

/**
 * Runs `terraform test -json` on a synthesized `cdk.tf.json` with test files (name -> content, placed
 * under tests/), after `terraform init` against the local provider mirror.
 */
export function terraformTest(tfJson: string, testFiles: { [name: string]: string }): TfTestOutcome {
  const files: { [name: string]: string } = { 'cdk.tf.json': tfJson };
  for (const [name, content] of Object.entries(testFiles)) files[path.join('tests', name)] = content;
  const { work, env } = terraformWorkdir(files);
  try {
    const r = spawnSync('terraform', ['test', '-json', '-no-color'], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const runs: { [key: string]: string } = {};
    const diagnostics: { [key: string]: string[] } = {};
    const other: string[] = [];
    let summary = '';
    for (const line of (r.stdout ?? '').split('\n')) {
      if (!line.trim()) continue;
      let d: any;
      try {
        d = JSON.parse(line);
      } catch {
        other.push(line);
        continue;
      }
      const file = d['@testfile'] ? path.basename(d['@testfile']) : undefined;
      const key = file && d['@testrun'] ? `${file}/${d['@testrun']}` : undefined;
      if (d.type === 'test_run' && d.test_run?.progress === 'complete') {
        runs[`${path.basename(d.test_run.path)}/${d.test_run.run}`] = d.test_run.status;
      } else if (d.type === 'diagnostic') {
        // a variable validation adds where its rule sits in cdk.tf.json: not part of the message
        const detail = String(d.diagnostic.detail ?? '').replace(/\n\nThis was checked by the validation rule at \S+$/, '');
        const text = `${d.diagnostic.summary}: ${detail}`;
        if (key) (diagnostics[key] = diagnostics[key] ?? []).push(text);
        else other.push(text);
      } else if (d.type === 'test_summary') {
        summary = d['@message'];
      }
    }
    if (!summary) other.push(r.stderr ?? '');
    return { runs, diagnostics, other, summary };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Every resource or data source address a test file names (`aws_x.y`, `data.aws_x.y`). */
export function addressesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+_[0-9A-F]{8})\b/g)) found.add(m[1]);
  return [...found].sort();
}

/** Whether a synthesized configuration declares an address. */
export function declares(json: any, address: string): boolean {
  const parts = address.split('.');
  if (parts[0] === 'data') return json.data?.[parts[1]]?.[parts[2]] !== undefined;
  return json.resource?.[parts[0]]?.[parts[1]] !== undefined;
}
