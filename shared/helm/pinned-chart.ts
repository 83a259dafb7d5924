/**
 * The Harbor chart this pack is pinned to and where it comes from by default. Kept apart from chart-values.ts (its
 * values and the YAML parser) so that the deploy step's definition, which names them, loads neither at start.
 */
export const PINNED_CHART = { name: 'harbor', version: '1.19.2', appVersion: '2.15.2' } as const;
export const DEFAULT_CHART_REPO = 'https://helm.goharbor.io';
