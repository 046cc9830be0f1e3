import { Validators } from '../../core/validators';
import { ADMISSION_REFUSAL_RULE_ID, unsuppressible } from '../internal';
import { IRule, IRulePack } from '../rule';
import { addNoCapabilities } from './rules/add-no-capabilities';
import { apparmorNotUnconfined } from './rules/apparmor-not-unconfined';
import { configMapReferences } from './rules/config-map-references';
import { coreVolumeTypesOnly } from './rules/core-volume-types-only';
import { cpuLimit } from './rules/cpu-limit';
import { cpuRequest } from './rules/cpu-request';
import { cronJobValidSchedule } from './rules/cron-job-valid-schedule';
import { cronjobDeadline } from './rules/cronjob-deadline';
import { cronjobRestartPolicy } from './rules/cronjob-restart-policy';
import { dedicatedServiceAccount } from './rules/dedicated-service-account';
import { defaultProcMount } from './rules/default-proc-mount';
import { defaultServiceAccountNoAutomount } from './rules/default-service-account-no-automount';
import { distinctProbes } from './rules/distinct-probes';
import { dropAllCapabilities } from './rules/drop-all-capabilities';
import { ephemeralStorage } from './rules/ephemeral-storage';
import { explicitNamespace } from './rules/explicit-namespace';
import { highUidGid } from './rules/high-uid-gid';
import { hostAntiAffinity } from './rules/host-anti-affinity';
import { hpaBounds } from './rules/hpa-bounds';
import { hpaTargetExists } from './rules/hpa-target-exists';
import { hpaValidBounds } from './rules/hpa-valid-bounds';
import { imageDigest } from './rules/image-digest';
import { imagePullPolicyAlways } from './rules/image-pull-policy-always';
import { imageTag } from './rules/image-tag';
import { ingressBackendsExist } from './rules/ingress-backends-exist';
import { ingressTls } from './rules/ingress-tls';
import { ingressValidPaths } from './rules/ingress-valid-paths';
import { instanceLabel } from './rules/instance-label';
import { jobTtl } from './rules/job-ttl';
import { limitRangeComplete } from './rules/limit-range-complete';
import { livenessProbe } from './rules/liveness-probe';
import { memoryLimit } from './rules/memory-limit';
import { memoryRequest } from './rules/memory-request';
import { minimumReplicas } from './rules/minimum-replicas';
import { namespaceDefaultDeny } from './rules/namespace-default-deny';
import { namespacePodSecurity } from './rules/namespace-pod-security';
import { networkPolicyCoverage } from './rules/network-policy-coverage';
import { networkPolicySelectsPods } from './rules/network-policy-selects-pods';
import { noAutomountToken } from './rules/no-automount-token';
import { noDeprecatedServiceAccountField } from './rules/no-deprecated-service-account-field';
import { noDuplicateEnv } from './rules/no-duplicate-env';
import { noExternalIps } from './rules/no-external-ips';
import { noHostInProbes } from './rules/no-host-in-probes';
import { noHostNamespaces } from './rules/no-host-namespaces';
import { noHostPathVolumes } from './rules/no-host-path-volumes';
import { noHostPort } from './rules/no-host-port';
import { noLiteralSecretsInEnv } from './rules/no-literal-secrets-in-env';
import { noNodePort } from './rules/no-node-port';
import { noPrivilegeEscalation } from './rules/no-privilege-escalation';
import { noPrivilegedContainers } from './rules/no-privileged-containers';
import { noPrivilegedPorts } from './rules/no-privileged-ports';
import { noReplicasWithHpa } from './rules/no-replicas-with-hpa';
import { noRootGroup } from './rules/no-root-group';
import { noSecretsInConfigMaps } from './rules/no-secrets-in-config-maps';
import { noSshPort } from './rules/no-ssh-port';
import { noWindowsHostProcess } from './rules/no-windows-host-process';
import { oneAutoscaler } from './rules/one-autoscaler';
import { pdbAllowsDisruption } from './rules/pdb-allows-disruption';
import { pdbEvictionPolicy } from './rules/pdb-eviction-policy';
import { pdbExists } from './rules/pdb-exists';
import { pdbFitsHpa } from './rules/pdb-fits-hpa';
import { pdbSelectsPods } from './rules/pdb-selects-pods';
import { priorityClass } from './rules/priority-class';
import { priorityClassExists } from './rules/priority-class-exists';
import { probePortDeclared } from './rules/probe-port-declared';
import { rbacNoAdmissionOrCsrRights } from './rules/rbac-no-admission-or-csr-rights';
import { rbacNoClusterAdminBinding } from './rules/rbac-no-cluster-admin-binding';
import { rbacNoDefaultServiceAccountSubject } from './rules/rbac-no-default-service-account-subject';
import { rbacNoEscalationVerbs } from './rules/rbac-no-escalation-verbs';
import { rbacNoEveryoneSubject } from './rules/rbac-no-everyone-subject';
import { rbacNoExecAttach } from './rules/rbac-no-exec-attach';
import { rbacNoPodCreate } from './rules/rbac-no-pod-create';
import { rbacNoSecretRead } from './rules/rbac-no-secret-read';
import { rbacNoWildcards } from './rules/rbac-no-wildcards';
import { readOnlyRootFilesystem } from './rules/read-only-root-filesystem';
import { readinessProbe } from './rules/readiness-probe';
import { resourceQuotaComplete } from './rules/resource-quota-complete';
import { rollingUpdate } from './rules/rolling-update';
import { routeAttaches } from './rules/route-attaches';
import { routeBackendsExist } from './rules/route-backends-exist';
import { runAsNonRoot } from './rules/run-as-non-root';
import { safeSysctls } from './rules/safe-sysctls';
import { seccompRuntimeDefault } from './rules/seccomp-runtime-default';
import { secretsAsFiles } from './rules/secrets-as-files';
import { securityContextBothLevels } from './rules/security-context-both-levels';
import { selectorMatchesTemplate } from './rules/selector-matches-template';
import { selinuxNotCustomised } from './rules/selinux-not-customised';
import { serviceSelectsPods } from './rules/service-selects-pods';
import { stableApiVersions } from './rules/stable-api-versions';
import { statefulsetHeadlessService } from './rules/statefulset-headless-service';
import { topologySpread } from './rules/topology-spread';
import { trustedRegistry } from './rules/trusted-registry';
import { validConfigData } from './rules/valid-config-data';
import { validContainers } from './rules/valid-containers';
import { validLabelValues } from './rules/valid-label-values';
import { validObjectName } from './rules/valid-object-name';
import { validPolicyObjects } from './rules/valid-policy-objects';
import { validPorts } from './rules/valid-ports';
import { validScalars } from './rules/valid-scalars';
import { validSelectors } from './rules/valid-selectors';
import { validUpdateStrategy } from './rules/valid-update-strategy';
import { validVolumeMounts } from './rules/valid-volume-mounts';

/** Marks a Kubernetes pack, whichever copy of shipshape made it. */
const KUBERNETES_PACK = Symbol.for('shipshape.policy.KubernetesPack');

/**
 * Options of the Kubernetes pack.
 */
export interface KubernetesPackProps {
  /**
   * Rule ids to leave out of the pack (prefer `Policy.suppress` with a reason: exclusions are not reported). An id
   * that is not a rule of the pack (a typo, another case, an engine finding `SS-POLICY-*`) is refused.
   * @default - every rule runs
   */
  readonly exclude?: string[];
  /**
   * Registry hosts images may come from (rule SS-K8S-032); `*` matches within one host label run, for example
   * `['*.dkr.ecr.*.amazonaws.com', 'registry.k8s.io']`. A pattern with anything but a host (a path, a scheme) is
   * refused: images are matched by their registry host.
   * @default - no list: SS-K8S-032 reports nothing (which registries to trust is your organisation's choice; an
   * empty list is no list)
   */
  readonly trustedRegistries?: string[];
}

/**
 * The Kubernetes best-practice rules, ids `SS-K8S-001` … `SS-K8S-102`: pod and container security, resources,
 * images, probes, availability, network, identity and secrets, metadata, jobs, namespaces and RBAC. Each rule, its
 * rationale and the checks of other tools it stands for are listed in the rule catalog, docs/rules.md.
 */
export class KubernetesPack implements IRulePack {
  /** The pack's name: `kubernetes`. */
  public readonly name = 'kubernetes';
  /** The pack's rules, in id order. */
  public readonly rules: IRule[];

  /**
   * The options the pack was made with, as plain values (synth records them so `shipshape check` runs the same pack).
   * @internal
   */
  public readonly _options: { readonly exclude: string[]; readonly trustedRegistries: string[] };

  /**
   * The ids of the pack's rules left out with `exclude`: a suppression of one of them silences nothing, and is
   * neither stale nor a typo.
   * @internal
   */
  public get _excludedRuleIds(): string[] {
    return [...this._options.exclude];
  }

  /**
   * True when `x` is a Kubernetes pack, also one made by another copy of shipshape.
   * @internal
   */
  public static _isKubernetesPack(x: unknown): boolean {
    return x instanceof KubernetesPack || (x !== null && typeof x === 'object' && (x as any)[KUBERNETES_PACK] === true);
  }

  /**
   * `pack`, or, for a Kubernetes pack made by another copy of shipshape (a construct library's own), this copy's
   * pack with the same options: its rules then run with this copy's engine, like the rest of the app's.
   * @internal
   */
  public static _own(pack: IRulePack): IRulePack {
    if (pack instanceof KubernetesPack || !KubernetesPack._isKubernetesPack(pack)) return pack;
    const options = (pack as any)._options ?? {};
    return new KubernetesPack({
      exclude: Array.isArray(options.exclude) ? [...options.exclude] : undefined,
      trustedRegistries: Array.isArray(options.trustedRegistries) ? [...options.trustedRegistries] : undefined,
    });
  }

  constructor(props: KubernetesPackProps = {}) {
    Object.defineProperty(this, KUBERNETES_PACK, { value: true });
    this._options = { exclude: [...(props.exclude ?? [])], trustedRegistries: [...(props.trustedRegistries ?? [])] };
    const exclude = new Set(props.exclude ?? []);
    const all: IRule[] = [
      noPrivilegedContainers,
      noPrivilegeEscalation,
      readOnlyRootFilesystem,
      runAsNonRoot,
      highUidGid,
      noRootGroup,
      dropAllCapabilities,
      addNoCapabilities,
      seccompRuntimeDefault,
      noHostNamespaces,
      noHostPathVolumes,
      noHostPort,
      coreVolumeTypesOnly,
      defaultProcMount,
      safeSysctls,
      selinuxNotCustomised,
      apparmorNotUnconfined,
      noWindowsHostProcess,
      noHostInProbes,
      securityContextBothLevels,
      noPrivilegedPorts,
      noSshPort,
      cpuRequest,
      memoryRequest,
      memoryLimit,
      cpuLimit,
      ephemeralStorage,
      priorityClass,
      imageTag,
      imageDigest,
      imagePullPolicyAlways,
      trustedRegistry(props.trustedRegistries),
      readinessProbe,
      livenessProbe,
      distinctProbes,
      probePortDeclared,
      minimumReplicas,
      noReplicasWithHpa,
      hostAntiAffinity,
      topologySpread,
      pdbExists,
      pdbAllowsDisruption,
      pdbEvictionPolicy,
      pdbFitsHpa,
      hpaBounds,
      hpaTargetExists,
      rollingUpdate,
      networkPolicyCoverage,
      networkPolicySelectsPods,
      serviceSelectsPods,
      noNodePort,
      noExternalIps,
      validPorts,
      ingressBackendsExist,
      ingressTls,
      statefulsetHeadlessService,
      noAutomountToken,
      dedicatedServiceAccount,
      defaultServiceAccountNoAutomount,
      noDeprecatedServiceAccountField,
      secretsAsFiles,
      noLiteralSecretsInEnv,
      noSecretsInConfigMaps,
      noDuplicateEnv,
      explicitNamespace,
      selectorMatchesTemplate,
      instanceLabel,
      validLabelValues,
      stableApiVersions,
      cronjobDeadline,
      cronjobRestartPolicy,
      jobTtl,
      namespacePodSecurity,
      namespaceDefaultDeny,
      resourceQuotaComplete,
      limitRangeComplete,
      rbacNoWildcards,
      rbacNoClusterAdminBinding,
      rbacNoExecAttach,
      rbacNoSecretRead,
      rbacNoPodCreate,
      rbacNoEscalationVerbs,
      rbacNoDefaultServiceAccountSubject,
      rbacNoAdmissionOrCsrRights,
      pdbSelectsPods,
      configMapReferences,
      priorityClassExists,
      rbacNoEveryoneSubject,
      validObjectName,
      validConfigData,
      validVolumeMounts,
      oneAutoscaler,
      routeAttaches,
      hpaValidBounds,
      ingressValidPaths,
      cronJobValidSchedule,
      validContainers,
      validUpdateStrategy,
      validSelectors,
      validScalars,
      validPolicyObjects,
      routeBackendsExist,
    ];
    const known = all.map(r => r.id);
    for (const id of exclude) {
      if (typeof id === 'string' && known.includes(id)) continue;
      const engine = typeof id === 'string' && /^SS-POLICY-\d{3}$/.test(id);
      const candidate = typeof id === 'string' ? Validators._closest(id, known) : undefined;
      // a suggestion only for a slip (another case, or a few characters off)
      const closest = candidate !== undefined && (candidate.toLowerCase() === id.toLowerCase()
        || Validators._editDistance(id.toUpperCase(), candidate) <= 2) ? candidate : undefined;
      throw new Error(`KubernetesPack: exclude (${JSON.stringify(id)}) is not a rule of the Kubernetes pack (${known[0]} … ${known[known.length - 1]}); `
        + (engine
          ? `the policy engine's own findings (SS-POLICY-*) belong to no pack and cannot be left out; ${engineFindingAdvice(id)}`
          : `list the ids as the policy report shows them${closest !== undefined ? ` (did you mean ${closest}?)` : ''}`));
    }
    for (const r of this._options.trustedRegistries) {
      if (typeof r !== 'string' || !/^[A-Za-z0-9*._:[\]-]+$/.test(r.trim())) {
        throw new Error(`KubernetesPack: trustedRegistries (${JSON.stringify(r)}) is not a registry host pattern (images are matched by their registry host only: `
          + 'letters, digits, ".", "-", ":" and "*", no path); use for example ghcr.io, registry.k8s.io or *.dkr.ecr.*.amazonaws.com');
      }
    }
    this.rules = all.filter(r => !exclude.has(r.id));
  }
}

/**
 * What to do instead of leaving an engine finding out of the pack: SS-POLICY-009 may be suppressed on its object; the
 * others cannot be suppressed either, and say why (some may be left out of a `shipshape check` run with --exclude).
 */
function engineFindingAdvice(id: string): string {
  if (id.toUpperCase() === ADMISSION_REFUSAL_RULE_ID) {
    return `suppress ${ADMISSION_REFUSAL_RULE_ID} on the object it is about, with a reason, where the cluster exempts its pods from Pod Security`;
  }
  const why = unsuppressible(id);
  return why === undefined ? 'no engine finding has that id' : `nor suppressed: ${why}`;
}
