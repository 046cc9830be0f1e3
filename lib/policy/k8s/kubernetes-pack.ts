import { IRule, IRulePack } from '../rule';

/**
 * Options of the Kubernetes pack.
 */
export interface KubernetesPackProps {
  /**
   * Rule ids to leave out of the pack.
   * @default - every rule runs
   */
  readonly exclude?: string[];
}

/**
 * The Kubernetes best-practice rules (RULES.md A.1–A.10b), ids `SS-K8S-NNN`.
 */
export class KubernetesPack implements IRulePack {
  public readonly name = 'kubernetes';
  public readonly rules: IRule[];

  constructor(props: KubernetesPackProps = {}) {
    const exclude = new Set(props.exclude ?? []);
    this.rules = [].filter((r: IRule) => !exclude.has(r.id));
  }
}
