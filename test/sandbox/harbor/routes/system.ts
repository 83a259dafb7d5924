import { harborVersion, now, type Ctx, type HarborState, type Reply, type Routes } from '../state';

// System routes: ping, health, systeminfo, the current user (src/server/v2.0/handler/ping.go, health.go,
// systeminfo.go, user.go).

export const systemRoutes = {
  getPing(): Reply {
    return { status: 200, text: 'Pong' };
  },

  /**
   * Unauthenticated; components sorted by name, overall unhealthy when any check failed (src/controller/health/
   * controller.go GetHealth, src/server/v2.0/handler/health.go).
   */
  getHealth(s: HarborState): Reply {
    const components = [...s.health]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, h]) => ({
        name,
        status: h.status,
        ...(h.error ? { error: h.error } : {}),
      }));
    return {
      status: 200,
      body: { status: components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy', components },
    };
  },

  getSystemInfo(s: HarborState, ctx: Ctx): Reply {
    // Every caller gets the auth mode and the banner; only an authenticated one (of any kind) the protected data:
    // version, URLs, current time, read-only (src/server/v2.0/handler/systeminfo.go GetSystemInfo + convertInfo,
    // src/controller/systeminfo/controller.go GetInfo WithProtectedInfo).
    const base = {
      auth_mode: s.options.authMode ?? 'db_auth',
      primary_auth_mode: false,
      self_registration: false,
      banner_message: '',
      oidc_provider_name: '',
    };
    if (ctx.principal.kind === 'anonymous') return { status: 200, body: base };
    return {
      status: 200,
      body: {
        ...base,
        current_time: now(),
        harbor_version: harborVersion(s.options),
        external_url: s.url,
        registry_url: s.host,
        project_creation_restriction: 'everyone',
        has_ca_root: false,
        read_only: false,
        notification_enable: true,
        registry_storage_provider_name: 'filesystem',
      },
    };
  },

  getCurrentUserInfo(s: HarborState, ctx: Ctx): Reply {
    const p = ctx.principal;
    if (p.kind !== 'user') s.deny(p, 'read the current user');
    const u = s.users.get(p.name)!;
    return {
      status: 200,
      body: {
        user_id: u.id,
        username: u.username,
        email: `${u.username}@example.test`,
        realname: u.username,
        comment: '',
        sysadmin_flag: !!u.sysadmin,
        admin_role_in_auth: false,
        creation_time: u.creation_time,
        update_time: u.creation_time,
      },
    };
  },
} satisfies Routes;
