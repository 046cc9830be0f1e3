import { Chart, Testing } from 'cdk8s';
import { Probe, StatefulService, WebService } from '../../../lib/k8s';
import { Template } from '../../../lib/testing';
import { expectError } from '../../util/k8s';
import { expectValid } from '../../util/schema';

const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
const container = (objs: any[], kind: string) => objs.find(o => o.kind === kind).spec.template.spec.containers[0];

describe('Probe.grpc', () => {
  test('a gRPC server: readiness and liveness by health service, on the port as a number; valid for 1.27 and 1.36', () => {
    const c = chart();
    new WebService(c, 'catalog', {
      image: 'ghcr.io/acme/catalog:1.0.0',
      port: 9090,
      portName: 'grpc',
      readiness: Probe.grpc({ service: 'readiness' }),
      liveness: Probe.grpc({ periodSeconds: 20 }),
    });
    const objs = c.toJson();
    const app = container(objs, 'Deployment');
    expect(app.readinessProbe).toEqual({ grpc: { port: 9090, service: 'readiness' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 });
    expect(app.livenessProbe).toEqual({ grpc: { port: 9090 }, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 3 });
    expectValid(objs);
    // the policy pack reads gRPC probes as probes (declared port, readiness apart from liveness): no finding
    expect(Template.fromChart(c).findings.filter(f => f.severity === 'error' || /probe/i.test(f.message)).map(f => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  test('the same service on the same port for readiness and liveness is refused, and the fix names gRPC health services', () => {
    expectError(() => new WebService(chart(), 'catalog', { image: 'ghcr.io/acme/catalog:1.0.0', port: 9090, readiness: Probe.grpc(), liveness: Probe.grpc() }),
      'shop/catalog: liveness ("grpc 9090 \\"\\"") is the same check as the readiness probe: a slow dependency would then restart healthy pods (rule SS-K8S-035); '
      + "probe different things, for example readiness Probe.grpc({ service: 'readiness' }) and liveness Probe.grpc({ service: 'liveness' }) on a gRPC server "
      + "(the gRPC health protocol reports each service), or readiness Probe.http('/readyz') and liveness Probe.http('/livez') on an HTTP one");
  });

  test('two TCP probes on one port are refused with a fix that fits a server speaking neither HTTP nor gRPC', () => {
    expectError(() => new StatefulService(chart(), 'db', {
      image: 'ghcr.io/acme/db:1.0.0', port: 5432, readiness: Probe.tcp(), liveness: Probe.tcp({ periodSeconds: 20 }),
    }), /is the same check as the readiness probe: .*; probe different things: on a server that speaks neither HTTP nor gRPC \(a database\), readiness with its own check command, for example Probe\.exec\(\['pg_isready'\]\), and liveness Probe\.tcp\(\) \(under Linkerd, whose proxy answers TCP for the pod, a cheaper command such as Probe\.exec\(\['pg_isready', '-t', '1'\]\)\)/);
  });

  test('a port the container does not declare is refused, as for the other probes', () => {
    expectError(() => new StatefulService(chart(), 'db', {
      image: 'ghcr.io/acme/db:1.0.0', port: 5432, readiness: Probe.grpc({ port: 5433 }), liveness: Probe.tcp(),
    }), /^shop\/db: readiness\.port \(5433\) is not a port the container declares \(5432\) \(rule SS-K8S-036\); probe a declared container port, or declare the port first \(extraPorts\)/);
  });

  test('the fix names the prop that declares another port, also on a subclass of the workload', () => {
    class TeamService extends WebService {}
    expectError(() => new TeamService(chart(), 'api', { image: 'ghcr.io/acme/api:1.0.0', readiness: Probe.tcp({ port: 9999 }) }),
      /; probe a declared container port, or declare the port first \(extraPorts\)$/);
  });
});
