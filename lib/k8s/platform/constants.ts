// Internal: names shared by the platform constructs. Not re-exported by the barrel.

/** The label every object of a team carries (its namespace too). */
export const TEAM_LABEL = 'shipshape.io/team';
/** Argo CD applies objects of a lower wave first. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
