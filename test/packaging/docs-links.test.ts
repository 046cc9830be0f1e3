import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The docs that ship are readable from the npm tarball alone: every relative link in a shipped Markdown file
// (README.md, API.md, docs/*.md, any other) points at a file in the tarball, every anchor exists in its target,
// and no shipped doc sends the reader to RULES.md, the design catalog that stays in the source repository (the
// rule catalog's header explains its "design ids" once, and that is the only mention allowed).

const ROOT = path.join(__dirname, '..', '..');

/** The files `npm pack` would put in the tarball (the same .npmignore rules the published package follows). */
function tarballFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out)[0].files as { path: string }[]).map(f => f.path.split(path.sep).join('/'));
}

/** The text without fenced code blocks. */
function withoutFences(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text without fenced code blocks and inline code spans (a `[x](y)` in code is not a link). */
function prose(md: string): string {
  return withoutFences(md).replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(md).replace(/`([^`\n]*)`/g, '$1').split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1].replace(/<[^>]+>/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every anchor a reader can land on in a Markdown file: headings and explicit `<a id>` / `<a name>` tags. */
function anchorsOf(md: string): Set<string> {
  const anchors = headingAnchors(md);
  for (const tag of md.matchAll(/<a\s[^>]*>/g)) {
    for (const m of tag[0].matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

interface Link { readonly file: string; readonly target: string }

/** The links of a Markdown file: inline `[text](target)`, images, reference definitions and `href`s. */
function linksOf(file: string, md: string): Link[] {
  const text = prose(md);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]);
  for (const m of md.matchAll(/\bhref="([^"]+)"/g)) targets.push(m[1]);
  return targets.map(target => ({ file, target }));
}

const files = tarballFiles();

test('the tarball holds the package and its docs only: no local scratch, bench results, tests or sources', () => {
  const top = [...new Set(files.map(f => (f.includes('/') ? `${f.slice(0, f.indexOf('/'))}/` : f)))].sort();
  expect(top.filter(t => !['out/', 'docs/', 'bin/', 'node_modules/'].includes(t))).toEqual(['.jsii', 'API.md', 'LICENSE', 'README.md', 'package.json']);
  // node_modules/: the bundled dependency only (js-yaml and its own dependency)
  expect([...new Set(files.filter(f => f.startsWith('node_modules/')).map(f => f.split('/')[1]))].sort()).toEqual(['argparse', 'js-yaml']);
});
const shipped = new Set(files);
// third-party documentation of bundled dependencies is theirs, not ours
const docs = files.filter(f => f.toLowerCase().endsWith('.md') && !f.startsWith('node_modules/'));
const texts = new Map<string, string>();
const read = (f: string) => {
  if (!texts.has(f)) texts.set(f, fs.readFileSync(path.join(ROOT, f), 'utf-8'));
  return texts.get(f)!;
};
const anchorCache = new Map<string, Set<string>>();
const anchorsIn = (f: string) => {
  if (!anchorCache.has(f)) anchorCache.set(f, anchorsOf(read(f)));
  return anchorCache.get(f)!;
};

test('the tarball ships the docs a user reads', () => {
  for (const f of ['README.md', 'API.md', 'docs/rules.md', 'docs/policy.md']) expect(docs).toContain(f);
});

test('every relative link in a shipped Markdown file resolves to a file in the tarball, and its anchor exists', () => {
  const broken: string[] = [];
  for (const file of docs) {
    for (const { target } of linksOf(file, read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...: not a file of the package
      const [rawPath, anchor] = target.split('#', 2);
      const resolved = rawPath === ''
        ? file
        : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(rawPath))).replace(/\/$/, '');
      if (resolved.startsWith('../') || !shipped.has(resolved)) {
        broken.push(`${file}: ${target} -> ${resolved} is not in the tarball`);
        continue;
      }
      if (anchor !== undefined && resolved.toLowerCase().endsWith('.md') && !anchorsIn(resolved).has(anchor)) {
        broken.push(`${file}: ${target} -> no anchor #${anchor} in ${resolved}`);
      }
    }
  }
  expect(broken).toEqual([]);
});

test('no shipped doc mentions RULES.md, except the rule catalog\'s one explanation of design ids', () => {
  const mentions: string[] = [];
  for (const file of docs) {
    let text = read(file);
    if (file === 'docs/rules.md') {
      // the header bullet that says what a design id is: RULES.md, the design catalog, not shipped
      const bullet = /^- \*\*Design id\*\*[^\n]*(?:\n {2}[^\n]*)*/m.exec(text);
      expect(bullet?.[0]).toMatch(/RULES\.md is not part of the package/);
      expect(text.indexOf(bullet![0])).toBeLessThan(text.indexOf('## Index'));
      text = text.replace(bullet![0], '');
    }
    text.split('\n').forEach((line, i) => {
      if (line.includes('RULES.md')) mentions.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(mentions).toEqual([]);
});

test('the rule catalog links every rule id of the index to its entry, and SARIF helpUri anchors exist', () => {
  const catalog = read('docs/rules.md');
  const anchors = anchorsOf(catalog);
  const ids = [...catalog.matchAll(/^\| \[(SS-[A-Z0-9]+-\d{3})\]\(#([a-z0-9-]+)\)/gm)];
  expect(ids.length).toBeGreaterThan(100);
  for (const [, id, anchor] of ids) {
    expect(anchor).toBe(id.toLowerCase());
    expect(anchors.has(anchor)).toBe(true);
  }
});

test('the library\'s doc comments and messages cite shipped rule ids, not RULES.md (API.md and the .d.ts files ship them)', () => {
  const mentions: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name.endsWith('.ts')) {
        const rel = path.relative(ROOT, p).split(path.sep).join('/');
        // the metadata field that records a rule's design ids explains where they come from
        if (rel === 'lib/policy/spec-rule.ts') continue;
        fs.readFileSync(p, 'utf-8').split('\n').forEach((line, i) => {
          if (/RULES\.md|RULES K8S-|\bA\.1[01]\.\d/.test(line)) mentions.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  walk(path.join(ROOT, 'lib'));
  expect(mentions).toEqual([]);
});

test('the link checker itself: a missing file, a missing anchor and a link out of the package are caught', () => {
  const links = linksOf('docs/x.md', '[a](./rules.md#nope) [b](../../shared/RULES.md) [c](https://x.invalid) `[d](e)`\n```\n[f](g)\n```\n');
  expect(links.map(l => l.target)).toEqual(['./rules.md#nope', '../../shared/RULES.md', 'https://x.invalid']);
  expect(anchorsOf('## `shipshape check`\n## Kubernetes — RBAC\n## A\n## A\n<a id="ss-k8s-001"></a>\n<a name="x" id="y.z"></a>')).toEqual(
    new Set(['shipshape-check', 'kubernetes--rbac', 'a', 'a-1', 'ss-k8s-001', 'x', 'y.z']));
});
