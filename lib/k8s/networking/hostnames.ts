import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import type { IWebService } from '../workloads/web-service';

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Hostname and backend checks shared by HttpIngress and HttpRoute. Not exported from the barrel.
 * @internal
 */
export class TrafficChecks {
  /** Validates a DNS hostname (a leading `*.` wildcard is accepted; no IP addresses, no port). */
  public static hostname(scope: IConstruct, prop: string, host: string): string {
    const labels = (host ?? '').replace(/^\*\./, '').split('.');
    if (!host || host.length > 253 || !HOST.test(host) || labels.some(l => l.length > 63) || /^[0-9.]+$/.test(host)) {
      fail(scope, prop, host, "must be a DNS name: lowercase dot-separated labels of a-z, 0-9 and '-' (at most 63 characters each, 253 in all), optionally starting with '*.'; no IP address, port or scheme",
        `use a name such as ${JSON.stringify('shop.example.com')}`);
    }
    return host;
  }

  /** The ports a WebService's Service exposes. */
  public static servicePorts(backend: IWebService): number[] {
    return [backend.servicePort, ...backend.containerPorts.filter(p => p !== backend.port)];
  }

  /**
   * Validates that `backend` exposes `port` (default: its service port), is in `namespace`, and returns
   * the service port and the container port behind it.
   */
  public static backend(scope: IConstruct, prop: string, backend: IWebService, namespace: string, port?: number): { servicePort: number; targetPort: number } {
    if (!backend || typeof (backend as any).servicePort !== 'number') {
      fail(scope, `${prop}.backend`, String(backend), 'must be a WebService (an IWebService construct)', 'pass the WebService construct itself, not its name');
    }
    if (backend.namespace !== namespace) {
      fail(scope, `${prop}.backend`, backend.node.path, `is in namespace "${backend.namespace}", not "${namespace}": routes reach Services of their own namespace only`,
        `create the route in namespace "${backend.namespace}", or the backend in namespace "${namespace}" (check both namespaces for a typo)`);
    }
    const ports = TrafficChecks.servicePorts(backend);
    const p = port ?? backend.servicePort;
    if (!ports.includes(p)) {
      fail(scope, `${prop}.port`, p, `is not a port of Service ${backend.namespace}/${backend.name} (${ports.join(', ')})`, `use ${backend.servicePort} (the service port) or omit port`);
    }
    return { servicePort: p, targetPort: p === backend.servicePort ? backend.port : p };
  }

  private constructor() {}
}
