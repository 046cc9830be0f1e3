import { CURRENT_K8S_VERSION, expectValid, hasSchemaVersion, validateAll } from '../../util/schema';
import { synthExample } from '../networking/traffic-util';

describe('examples/sidecars', () => {
  test('synthesizes with k8s.App: all four sidecar kinds; 1.27 chart valid for 1.27 and 1.36, 1.30 chart (native sidecars) valid for 1.36; no policy error', () => {
    const { files, report } = synthExample('sidecars');
    expect(files.map(f => f.file)).toEqual(['reports-k8s-1-30.k8s.yaml', 'reports.k8s.yaml']);
    const [next, classic] = files.map(f => f.docs);
    const pod = (docs: any[]) => docs.find(d => d.kind === 'Deployment').spec.template.spec;
    expect(pod(classic).containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper', 'metrics-adapter', 'ambassador']);
    expect(pod(classic).initContainers.map((c: any) => c.name)).toEqual(['wait-for-queue', 'migrate', 'render-config']);
    expect(pod(next).containers.map((c: any) => c.name)).toEqual(['app']);
    expect(pod(next).initContainers.filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name)).toEqual(['log-shipper', 'metrics-adapter', 'ambassador']);
    expect(classic.map(d => d.kind)).toContain('PodMonitor');
    expectValid(classic);
    expectValid(next, [CURRENT_K8S_VERSION]);
    expect(report.summary.errors).toBe(0);
  });

  // needs the 1.27 schema of ../shared/schemas (skipped without it; the run's first line says so)
  (hasSchemaVersion('v1.27.0') ? test : test.skip)('the 1.30 chart is not valid for 1.27, which is why the target is a chart setting', () => {
    const next = synthExample('sidecars').files[0].docs;
    // 1.27 has no restartPolicy on containers
    expect(validateAll(next, ['v1.27.0'])).toContainEqual(expect.stringMatching(/initContainers\/0: unknown field "restartPolicy"/));
  });
});
