import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { App, WebService } from '../../lib/k8s';
import { IRulePack, KubernetesPack, Policy, RuleResult, Severity } from '../../lib/policy';

const acme = (): IRulePack => ({
  name: 'acme',
  rules: [{ id: 'ACME-001', severity: Severity.WARNING, message: 'team label', fix: 'add it', kinds: ['Deployment'], evaluate: () => RuleResult.compliant() }],
});

describe('a policy configured without the Kubernetes pack', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { out += String(s); return true; });
  });
  afterEach(() => jest.restoreAllMocks());

  function synth(packs: IRulePack[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-nopack-'));
    try {
      const app = new App({ outdir: dir });
      Policy.configure(app, { packs });
      new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      app.synth();
      return out;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('says at synth that no rule of shipshape\'s checks the output', () => {
    expect(synth([acme()])).toContain('shipshape note: the policy runs the pack acme (Policy.configure packs), without shipshape\'s KubernetesPack: '
      + 'none of its rules (SS-K8S-...) check this output, while shipshape check of the folder runs them; add new KubernetesPack() to the packs to keep them\n');
  });

  test('no note when the Kubernetes pack runs beside one\'s own', () => {
    expect(synth([new KubernetesPack(), acme()])).not.toContain('without shipshape\'s KubernetesPack');
  });
});
