/**
 * The cost-attribution tags every AWS resource shipshape creates carries.
 */
export interface CostTags {
  /** The team that owns the resources (tag `team`). */
  readonly team: string;
  /** The environment, for example `production` (tag `environment`). */
  readonly environment: string;
  /** The cost centre billed for the resources (tag `cost-centre`). */
  readonly costCentre: string;
  /**
   * Further tags added to every resource.
   * @default - none
   */
  readonly extra?: { [key: string]: string };
}

