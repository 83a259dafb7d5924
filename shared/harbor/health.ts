import type { HttpClient } from '../http/client';

/** Harbor's `GET /api/v2.0/health` answer (swagger: OverallHealthStatus). */
export interface OverallHealth {
  status?: string;
  components?: { name: string; status: string; error?: string }[];
}

/** Where Harbor reports its components' health; it answers without credentials. */
export function harborHealthUrl(harborUrl: string): string {
  return `${harborUrl.replace(/\/+$/, '')}/api/v2.0/health`;
}

/**
 * One read of Harbor's health. It goes through the bare HTTP layer, not a HarborClient: right after a rollout the
 * caller wants the raw status (an ingress's 404 or 503 is "not ready yet", not an error to word).
 */
export async function readHarborHealth(
  http: HttpClient,
  harborUrl: string,
  timeoutMs: number,
): Promise<{ status: number; health?: OverallHealth }> {
  const res = await http.request({ method: 'GET', url: harborHealthUrl(harborUrl), retry: false, timeoutMs });
  return res.status === 200 ? { status: 200, health: res.json<OverallHealth>() } : { status: res.status };
}
