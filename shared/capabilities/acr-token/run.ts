import { AcrRegistry, skuSupportsTokens, type ScopeMap, type Token, type TokenPassword } from '../../azure/acr';
import { sameActions } from '../../azure/scope-map';
import { checkName, checkRegistryName, checkSubscription } from '../../azure/names';
import { connectArm } from '../../azure/sign-in';
import { InputError, UserError } from '../../errors';
import type { HarborClient } from '../../harbor/client';
import { openHarbor } from '../../harbor/inputs';
import {
  ensureRegistryEndpoint,
  findRegistry,
  pingRegistry,
  RegistryPingError,
  checkRegistryAccess,
  type Registry as HarborEndpoint,
} from '../../harbor/registries';
import type { SettingsOf } from '../../inputs/definition';
import type { Platform, StepResult } from '../../platform';
import type { Clock } from '../../util/clock';
import { pollWithBackoff } from '../../util/poll';
import { definition } from './definition';
import { passwordExpiry, scopeMapActions } from './settings';
import type { ContextOf } from '../../step-context';

type Settings = SettingsOf<typeof definition.inputs>;

/** A password that expires within this window gets a warning, so rotation happens before logins fail. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;
/**
 * How long Harbor's ping may keep refusing a password Azure just generated. Microsoft's ACR docs
 * (container-registry-token-based-repository-permissions) say a regenerated token password takes about 60 seconds to
 * replicate; 90 s leaves room for a slow region.
 */
export const PASSWORD_REPLICATION_WAIT_MS = 90_000;
const PING_RETRY_FIRST_MS = 2_000;
const PING_RETRY_MAX_MS = 15_000;

type Slot = 'password1' | 'password2';

export async function runAcrToken(s: Settings, ctx: ContextOf<typeof definition>): Promise<StepResult> {
  const { platform } = ctx;
  const name = ctx.label;
  // Every input is judged before the first remote call: a typo must not leave half a configuration in Azure.
  const registryName = checkRegistryName(s.registry, name('registry'));
  if (s.subscriptionId) checkSubscription(s.subscriptionId, name('subscription-id'));
  const resourceGroup = checkName('resourceGroup', s.resourceGroup, name('resource-group'));
  const tokenName = checkName('token', s.token, name('token'));
  const scopeMapName = checkName('scopeMap', s.scopeMap ?? `${tokenName}-scope-map`.slice(0, 50), name('scope-map'));
  const actions = scopeMapActions(s.repositories, name('repositories'));
  const expiry = passwordExpiry(s.passwordExpiry, name('password-expiry'));
  if (s.registerInHarbor) {
    const needed = [
      ['harbor-url', s.harborUrl],
      ['harbor-username', s.harborUsername],
      ['harbor-password', s.harborPassword],
    ] as const;
    for (const [spec, value] of needed) {
      if (!value) throw new InputError(`Input '${name(spec)}' is required with ${name('register-in-harbor')}: true`);
    }
    // ACR refuses every login of a disabled token, so Harbor's ping (and each replication after it) would fail — after
    // Azure had already been changed. Refused before anything is touched.
    if (s.status === 'disabled') {
      throw new InputError(
        `Input '${name('status')}' is disabled while ${name('register-in-harbor')} is true: ACR refuses every login of a disabled token, so Harbor could not use it; enable the token or drop the registration`,
      );
    }
  }

  // Harbor is checked (reachable, credentials, permission) before Azure is touched: a rotated password that Harbor then
  // refuses would leave the endpoint holding the old, now invalid one.
  // `timeout` bounds the whole step: Harbor's check, the sign-in and every ARM call and long-running operation.
  const started = Date.now();
  const budget = () => ({ ms: Math.max(1, s.timeout - (Date.now() - started)), input: name('timeout') });
  const harbor = s.registerInHarbor ? await checkHarbor(s, platform, budget()) : undefined;

  const http = ctx.http({ budget: budget() });
  const { arm, subscriptionId } = await connectArm(
    s,
    {
      subscriptionId: name('subscription-id'),
      clientId: name('client-id'),
      tenantId: name('tenant-id'),
    },
    http,
    platform,
    s.timeout,
    ctx.clock.sleep,
  );

  const acr = new AcrRegistry(arm, { subscriptionId, resourceGroup, registry: registryName });
  const registry = await acr.get();
  if (!skuSupportsTokens(registry.sku?.name)) {
    throw new UserError(
      `Registry ${registryName} has the ${registry.sku.name} SKU, which has no tokens or scope maps; upgrade it to Basic, Standard or Premium`,
    );
  }
  const loginServer = registry.properties.loginServer ?? `${registryName.toLowerCase()}.azurecr.io`;

  // The endpoint Harbor already has (read before any write in Azure): its description records which password slot it
  // logs in with, so a rotation can write the other slot and leave the running endpoint working until it switches.
  const endpointName = s.harborRegistryName ?? loginServer;
  const endpoint = harbor ? await findRegistry(harbor, endpointName) : undefined;
  const harborSlot = endpoint ? (slotOf(endpoint) ?? s.passwordName) : undefined;
  const endpointUrl = s.harborRegistryUrl ?? `https://${loginServer}`;
  if (harbor) {
    // Harbor must reach the registry URL at all (a ping without credentials only checks that it answers), or no
    // password would ever pass; checked before Azure is changed. After this, a refused ping is about the password.
    await pingRegistry(harbor, { name: endpointName, type: 'azure-acr', url: endpointUrl.replace(/\/+$/, '') });
  }
  const checkedSlot: Slot = harborSlot ?? s.passwordName;
  const targetSlot: Slot = harborSlot ? otherSlot(harborSlot) : s.passwordName;

  const scopeMap = await ensureScopeMap(acr, scopeMapName, actions, platform);
  const { token, created } = await ensureToken(acr, tokenName, scopeMap.id, s.status, platform);

  const slot = token.properties.credentials?.passwords?.find((p) => p.name === checkedSlot);
  const reason = created
    ? 'the token is new'
    : s.rotate
      ? `${name('rotate')} is true`
      : !slot
        ? `the token has no ${checkedSlot}${harborSlot ? ` (the slot Harbor's endpoint uses)` : ''}`
        : isExpired(slot)
          ? `${checkedSlot} expired on ${slot.expiry}`
          : undefined;
  let password: TokenPassword | undefined;
  let username = tokenName;
  if (reason) {
    const generated = await acr.generateCredentials({
      tokenId: token.id,
      name: targetSlot,
      ...(expiry ? { expiry } : {}),
    });
    // Mask every value Azure returned before anything else can print one.
    for (const p of generated.passwords ?? []) if (p.value) platform.setSecret(p.value);
    password = generated.passwords?.find((p) => p.name === targetSlot && p.value);
    if (!password?.value)
      throw new UserError(`Azure generated credentials for token ${tokenName} but returned no value for ${targetSlot}`);
    username = generated.username ?? tokenName;
    const kept = harborSlot ? `; Harbor's endpoint keeps logging in with ${harborSlot} until it switches` : '';
    platform.info(
      `Generated ${targetSlot} for token ${tokenName} because ${reason}; it ${password.expiry ? `expires ${password.expiry}` : 'never expires'}${kept}`,
    );
    ctx.setOutput('password', password.value);
    ctx.setOutput('password-name', targetSlot);
  } else {
    platform.info(
      `Token ${tokenName} already has ${checkedSlot} (${slot?.expiry ? `expires ${slot.expiry}` : 'no expiry'}): no password output, because Azure shows a password only when it is generated; set ${name('rotate')}: true to generate a new one`,
    );
  }
  const effectiveExpiry = password ? password.expiry : slot?.expiry;
  let result: StepResult = 'succeeded';
  if (!password && slot?.expiry && Date.parse(slot.expiry) - Date.now() < EXPIRY_WARNING_MS) {
    platform.warning(
      `${checkedSlot} of token ${tokenName} expires ${slot.expiry}; rotate it with ${name('rotate')}: true`,
    );
    result = 'succeeded-with-issues';
  }

  ctx.setOutput('username', username);
  ctx.setOutput('login-server', loginServer);
  ctx.setOutput('expiry', effectiveExpiry ?? '');
  ctx.setOutput('scope-map-id', scopeMap.id);
  ctx.setOutput('token-id', token.id);

  let harborRegistryId: number | undefined;
  if (harbor) {
    harborRegistryId = await registerInHarbor(s, platform, harbor, {
      endpointName,
      url: endpointUrl,
      endpoint,
      loginServer,
      username,
      password: password?.value,
      slot: password ? targetSlot : checkedSlot,
      previousSlot: harborSlot,
      clock: ctx.clock,
    });
    ctx.setOutput('harbor-registry-id', harborRegistryId);
  }

  await platform.addSummary(
    [
      `### ACR token ${tokenName} on ${loginServer}`,
      '',
      '| | |',
      '| --- | --- |',
      `| Scope map | ${scopeMapName} (${actions.length} actions) |`,
      `| Status | ${token.properties.status ?? s.status} |`,
      `| Password | ${password ? `${targetSlot} generated (${reason})` : `${checkedSlot} unchanged`} |`,
      `| Expiry | ${effectiveExpiry ?? 'never'} |`,
      ...(harborRegistryId !== undefined ? [`| Harbor endpoint | id ${harborRegistryId} |`] : []),
      '',
    ].join('\n'),
  );
  return result;
}

async function ensureScopeMap(
  acr: AcrRegistry,
  name: string,
  actions: string[],
  platform: Platform,
): Promise<ScopeMap> {
  const description = 'Managed by harbor-pipelines acr-token';
  const existing = await acr.getScopeMap(name);
  if (!existing) {
    const created = await acr.createScopeMap(name, actions, description);
    platform.info(`Scope map ${name} created: ${actions.join(', ')}`);
    return created;
  }
  const current = existing.properties.actions ?? [];
  if (sameActions(current, actions)) {
    platform.info(`Scope map ${name} unchanged (${actions.length} actions)`);
    return existing;
  }
  if ((existing.properties.type ?? '').toLowerCase() === 'systemdefined') {
    throw new UserError(
      `Scope map ${name} is system-defined and cannot be changed; choose another scope-map name for these repositories`,
    );
  }
  const lower = new Set(current.map((a) => a.toLowerCase()));
  const wanted = new Set(actions.map((a) => a.toLowerCase()));
  const added = actions.filter((a) => !lower.has(a.toLowerCase()));
  const removed = current.filter((a) => !wanted.has(a.toLowerCase()));
  const updated = await acr.updateScopeMap(name, actions, existing.properties.description ?? description);
  // A scope map can back several tokens (az acr token create --scope-map), and this update changes what all of them may do.
  platform.warning(
    `Scope map ${name} existed with other actions and was overwritten (it may be shared by other tokens, which now get the same permissions):${added.length ? ` added ${added.join(', ')}` : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`,
  );
  return updated;
}

async function ensureToken(
  acr: AcrRegistry,
  name: string,
  scopeMapId: string,
  status: 'enabled' | 'disabled',
  platform: Platform,
): Promise<{ token: Token; created: boolean }> {
  const existing = await acr.getToken(name);
  if (!existing) {
    const token = await acr.createToken(name, scopeMapId, status);
    platform.info(`Token ${name} created (${status})`);
    return { token, created: true };
  }
  const changes: { scopeMapId?: string; status?: 'enabled' | 'disabled' } = {};
  // ARM resource ids compare case-insensitively.
  if ((existing.properties.scopeMapId ?? '').toLowerCase() !== scopeMapId.toLowerCase())
    changes.scopeMapId = scopeMapId;
  if (existing.properties.status !== status) changes.status = status;
  if (Object.keys(changes).length === 0) {
    platform.info(`Token ${name} unchanged (${status})`);
    return { token: existing, created: false };
  }
  const token = await acr.updateToken(name, changes);
  const described = [
    changes.scopeMapId ? `scope map → ${scopeMapId.split('/').pop()}` : '',
    changes.status ? `status ${existing.properties.status} → ${status}` : '',
  ];
  platform.info(`Token ${name} updated: ${described.filter(Boolean).join(', ')}`);
  return { token, created: false };
}

/**
 * The Harbor to register in. One authenticated read of the registry endpoints proves the URL, the credentials and the
 * system-level permission before anything is written in Azure.
 */
async function checkHarbor(
  s: Settings,
  platform: Platform,
  budget: { ms: number; input: string },
): Promise<HarborClient> {
  const { harbor } = openHarbor(platform, definition.inputs, s, { prefix: 'harbor-', budget });
  await checkRegistryAccess(harbor);
  return harbor;
}

interface Registration {
  endpointName: string;
  url: string;
  endpoint: HarborEndpoint | undefined;
  loginServer: string;
  username: string;
  /** A password Azure has just generated (it may not have replicated yet), or undefined to keep Harbor's. */
  password?: string;
  /** The slot Harbor's endpoint uses after this run. */
  slot: Slot;
  /** The slot Harbor's endpoint used before (still valid while the new one replicates). */
  previousSlot?: Slot;
  clock: Clock;
}

/**
 * Creates or updates the Harbor endpoint. Harbor pings with the credentials before it saves them, and a freshly
 * generated ACR token password is refused until it has replicated (about 60 s, Microsoft's ACR docs), so with a new
 * password an unhealthy ping (Harbor's 400) is retried with backoff for up to PASSWORD_REPLICATION_WAIT_MS. Nothing
 * is saved in Harbor before a ping succeeds, so the endpoint keeps the previous slot's password, which still works.
 */
async function registerInHarbor(
  s: Settings,
  platform: Platform,
  harbor: HarborClient,
  r: Registration,
): Promise<number> {
  if (!r.password && !r.endpoint) {
    throw new UserError(
      `Cannot create Harbor registry endpoint '${r.endpointName}': no password was generated because token ${r.username} already exists; set ${platform.inputName(definition.inputs.rotate)}: true once to hand Harbor a fresh one`,
    );
  }
  const spec = {
    name: r.endpointName,
    type: 'azure-acr',
    url: r.url,
    username: r.username,
    password: r.password,
    description: endpointDescription(r.username, r.slot),
  };
  const ensured = await platform.group(`Harbor registry endpoint ${r.endpointName}`, async () => {
    let refused: RegistryPingError | undefined;
    return pollWithBackoff(
      {
        timeoutMs: PASSWORD_REPLICATION_WAIT_MS,
        initialDelayMs: PING_RETRY_FIRST_MS,
        maxDelayMs: PING_RETRY_MAX_MS,
        clock: r.clock,
        onWait: (ms) =>
          platform.info(
            `Harbor's ping with the new ${r.slot} failed (${refused!.status}); a new ACR token password takes about a minute to replicate: retrying in ${Math.round(ms / 1000)} s`,
          ),
      },
      async () => {
        try {
          return await ensureRegistryEndpoint(harbor, spec, (m) => platform.info(m));
        } catch (error) {
          const waitable = r.password !== undefined && error instanceof RegistryPingError && error.status === 400;
          if (!waitable) throw error;
          refused = error;
          return undefined;
        }
      },
      () => {
        const kept = r.previousSlot ? `Harbor's endpoint still holds ${r.previousSlot}, which keeps working; ` : '';
        throw new UserError(
          `${refused!.message}; the new ${r.slot} was still refused after ${Math.round(PASSWORD_REPLICATION_WAIT_MS / 1000)} s of retries (a new ACR token password takes about a minute to replicate). ${kept}run the step again with ${platform.inputName(definition.inputs.rotate)}: true`,
          { cause: refused },
        );
      },
    );
  });
  return ensured.id;
}

const DESCRIPTION_SUFFIX = '(managed by harbor-pipelines acr-token)';

/** The endpoint's description names the token and the password slot Harbor logs in with. */
function endpointDescription(username: string, slot: Slot): string {
  return `ACR token ${username}, ${slot} ${DESCRIPTION_SUFFIX}`;
}

/** The slot an endpoint this step wrote logs in with; undefined for endpoints written otherwise (or before slots were recorded). */
function slotOf(endpoint: HarborEndpoint): Slot | undefined {
  const match = /, (password[12]) \(managed by harbor-pipelines acr-token\)$/.exec(endpoint.description ?? '');
  return match ? (match[1] as Slot) : undefined;
}

function otherSlot(slot: Slot): Slot {
  return slot === 'password1' ? 'password2' : 'password1';
}

function isExpired(password: TokenPassword): boolean {
  return password.expiry !== undefined && Date.parse(password.expiry) <= Date.now();
}
