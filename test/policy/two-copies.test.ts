import { Chart } from 'cdk8s';
import { App, WebService } from '../../lib/k8s';
import type * as policyModule from '../../lib/policy';
import { Policy } from '../../lib/policy';
import { stderrOf } from '../util/k8s';

// A team's construct library may bring its own copy of shipshape (npm installs it under the library when the
// versions differ). The policy settings it makes through its copy must reach the app, whichever copy made the app.

/** A second copy of the policy module, with its own classes and module state, as a library's copy would be. */
function otherCopy(): typeof policyModule {
  let copy: typeof policyModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require('../../lib/policy');
  });
  expect(copy!.Policy).not.toBe(Policy);
  return copy!;
}

function shop(): { app: App; chart: Chart; api: WebService } {
  const app = new App({ outdir: '/nonexistent-shipshape-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'docker.io/acme/api:1.4.2' });
  return { app, chart, api };
}

/** A company pack of the library's, written against its copy: every Deployment needs an `acme.example/owner` label. */
function ownerPack(lib: typeof policyModule): policyModule.IRulePack {
  return {
    name: 'acme',
    rules: [{
      id: 'ACME-OWN-001',
      severity: lib.Severity.ERROR,
      message: 'Deployment has no acme.example/owner label',
      fix: 'add the label acme.example/owner',
      kinds: ['Deployment'],
      evaluate: doc => (doc.manifest.metadata?.labels?.['acme.example/owner'] ? lib.RuleResult.compliant() : lib.RuleResult.violation('metadata.labels')),
    }],
  };
}

describe('policy settings made through another copy of shipshape', () => {
  test('Policy.configure of the other copy sets the packs the app runs: its custom pack, and its Kubernetes pack\'s options', () => {
    const lib = otherCopy();
    const { app } = shop();
    lib.Policy.configure(app, { packs: [new lib.KubernetesPack({ trustedRegistries: ['ghcr.io'] }), ownerPack(lib)] });
    let thrown: Error | undefined;
    const stderr = stderrOf(() => {
      try {
        app.synthYaml();
      } catch (e: any) {
        thrown = e;
      }
    });
    expect(thrown?.message).toContain('ERROR ACME-OWN-001 at metadata.labels: Deployment has no acme.example/owner label');
    // the library's KubernetesPack ran with its options (without a registry list SS-K8S-032 reports nothing)
    expect(stderr).toContain('WARNING SS-K8S-032');
  });

  test('Policy.suppress of the other copy silences the finding in the app, and the reason is carried', () => {
    const lib = otherCopy();
    const { app, api } = shop();
    Policy.configure(app, { packs: [new lib.KubernetesPack(), ownerPack(lib)] });
    lib.Policy.suppress(api, 'ACME-OWN-001', 'owned by the platform team until the hand-over');
    let yaml = '';
    stderrOf(() => {
      yaml = app.synthYaml();
    });
    expect(yaml).toContain('suppress.shipshape.io/ACME-OWN-001: owned by the platform team until the hand-over');
    expect(Policy.suppressionsOf(api)).toEqual([{ ruleId: 'ACME-OWN-001', reason: 'owned by the platform team until the hand-over', path: 'shop/api' }]);
  });
});
