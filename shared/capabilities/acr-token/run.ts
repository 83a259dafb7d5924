import { AcrRegistry, skuSupportsTokens, type ScopeMap, type Token, type TokenPassword } from '../../azure/acr';
import { sameActions } from '../../azure/scope-map';
import { checkName, checkRegistryName, checkSubscription } from '../../azure/names';
import { connectArm } from '../../azure/sign-in';
import { httpClientFor, workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import { HarborClient } from '../../harbor/client';
import { ensureRegistryEndpoint, findRegistry, replicationScope } from '../../harbor/registries';
import type { SettingsOf } from '../../inputs/definition';
import type { Platform, StepResult } from '../../platform';
import { definition } from './definition';
import { passwordExpiry, scopeMapActions } from './settings';

type Settings = SettingsOf<typeof definition.inputs>;
const inputs = definition.inputs;
const output = (name: string) => definition.outputs.find((o) => o.name === name)!;

/** A password that expires within this window gets a warning, so rotation happens before logins fail. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;

export async function runAcrToken(s: Settings, platform: Platform): Promise<StepResult> {
  const name = (spec: (typeof inputs)[keyof typeof inputs]) => platform.inputName(spec);
  // Every input is judged before the first remote call: a typo must not leave half a configuration in Azure.
  const registryName = checkRegistryName(s.registry, name(inputs.registry));
  if (s.subscriptionId) checkSubscription(s.subscriptionId, name(inputs['subscription-id']));
  const resourceGroup = checkName('resourceGroup', s.resourceGroup, name(inputs['resource-group']));
  const tokenName = checkName('token', s.token, name(inputs.token));
  const scopeMapName = checkName('scopeMap', s.scopeMap ?? `${tokenName}-scope-map`.slice(0, 50), name(inputs['scope-map']));
  const actions = scopeMapActions(s.repositories, name(inputs.repositories));
  const expiry = passwordExpiry(s.passwordExpiry, name(inputs['password-expiry']));
  if (s.registerInHarbor) {
    const needed = [
      [inputs['harbor-url'], s.harborUrl],
      [inputs['harbor-username'], s.harborUsername],
      [inputs['harbor-password'], s.harborPassword],
    ] as const;
    for (const [spec, value] of needed) {
      if (!value) throw new InputError(`Input '${name(spec)}' is required with ${name(inputs['register-in-harbor'])}: true`);
    }
  }

  // Harbor is checked (reachable, credentials, permission) before Azure is touched: a rotated password that Harbor then
  // refuses would leave the endpoint holding the old, now invalid one.
  const harbor = s.registerInHarbor ? await openHarbor(s, platform) : undefined;

  const http = httpClientFor(platform);
  const { arm, subscriptionId } = await connectArm(
    s,
    { subscriptionId: name(inputs['subscription-id']), clientId: name(inputs['client-id']), tenantId: name(inputs['tenant-id']) },
    http,
    platform,
    s.timeout,
  );

  const acr = new AcrRegistry(arm, { subscriptionId, resourceGroup, registry: registryName });
  const registry = await acr.get();
  if (!skuSupportsTokens(registry.sku?.name)) {
    throw new UserError(`Registry ${registryName} has the ${registry.sku.name} SKU, which has no tokens or scope maps; upgrade it to Basic, Standard or Premium`);
  }
  const loginServer = registry.properties.loginServer ?? `${registryName.toLowerCase()}.azurecr.io`;

  const scopeMap = await ensureScopeMap(acr, scopeMapName, actions, platform);
  const { token, created } = await ensureToken(acr, tokenName, scopeMap.id, s.status, platform);

  const slot = token.properties.credentials?.passwords?.find((p) => p.name === s.passwordName);
  const reason = created
    ? 'the token is new'
    : s.rotate
      ? `${name(inputs.rotate)} is true`
      : !slot
        ? `the token has no ${s.passwordName}`
        : isExpired(slot)
          ? `${s.passwordName} expired on ${slot.expiry}`
          : undefined;
  let password: TokenPassword | undefined;
  let username = tokenName;
  if (reason) {
    const generated = await acr.generateCredentials({ tokenId: token.id, name: s.passwordName, ...(expiry ? { expiry } : {}) });
    // Mask every value Azure returned before anything else can print one.
    for (const p of generated.passwords ?? []) if (p.value) platform.setSecret(p.value);
    password = generated.passwords?.find((p) => p.name === s.passwordName && p.value);
    if (!password?.value) throw new UserError(`Azure generated credentials for token ${tokenName} but returned no value for ${s.passwordName}`);
    username = generated.username ?? tokenName;
    platform.info(`Generated ${s.passwordName} for token ${tokenName} because ${reason}; it ${password.expiry ? `expires ${password.expiry}` : 'never expires'}`);
    platform.setOutput(output('password'), password.value);
  } else {
    platform.info(
      `Token ${tokenName} already has ${s.passwordName} (${slot?.expiry ? `expires ${slot.expiry}` : 'no expiry'}): no password output, because Azure shows a password only when it is generated; set ${name(inputs.rotate)}: true to generate a new one`,
    );
  }
  const effectiveExpiry = password ? password.expiry : slot?.expiry;
  let result: StepResult = 'succeeded';
  if (!password && slot?.expiry && Date.parse(slot.expiry) - Date.now() < EXPIRY_WARNING_MS) {
    platform.warning(`${s.passwordName} of token ${tokenName} expires ${slot.expiry}; rotate it with ${name(inputs.rotate)}: true`);
    result = 'succeeded-with-issues';
  }

  platform.setOutput(output('username'), username);
  platform.setOutput(output('login-server'), loginServer);
  platform.setOutput(output('expiry'), effectiveExpiry ?? '');
  platform.setOutput(output('scope-map-id'), scopeMap.id);
  platform.setOutput(output('token-id'), token.id);

  let harborRegistryId: number | undefined;
  if (harbor) {
    harborRegistryId = await registerInHarbor(s, platform, harbor, { loginServer, username, password: password?.value });
    platform.setOutput(output('harbor-registry-id'), String(harborRegistryId));
  }

  await platform.addSummary(
    [
      `### ACR token ${tokenName} on ${loginServer}`,
      '',
      '| | |',
      '| --- | --- |',
      `| Scope map | ${scopeMapName} (${actions.length} actions) |`,
      `| Status | ${token.properties.status ?? s.status} |`,
      `| Password | ${password ? `${s.passwordName} generated (${reason})` : `${s.passwordName} unchanged`} |`,
      `| Expiry | ${effectiveExpiry ?? 'never'} |`,
      ...(harborRegistryId !== undefined ? [`| Harbor endpoint | id ${harborRegistryId} |`] : []),
      '',
    ].join('\n'),
  );
  return result;
}

async function ensureScopeMap(acr: AcrRegistry, name: string, actions: string[], platform: Platform): Promise<ScopeMap> {
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
    throw new UserError(`Scope map ${name} is system-defined and cannot be changed; choose another scope-map name for these repositories`);
  }
  const lower = new Set(current.map((a) => a.toLowerCase()));
  const wanted = new Set(actions.map((a) => a.toLowerCase()));
  const added = actions.filter((a) => !lower.has(a.toLowerCase()));
  const removed = current.filter((a) => !wanted.has(a.toLowerCase()));
  const updated = await acr.updateScopeMap(name, actions, existing.properties.description ?? description);
  platform.info(`Scope map ${name} updated:${added.length ? ` added ${added.join(', ')}` : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`);
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
  if ((existing.properties.scopeMapId ?? '').toLowerCase() !== scopeMapId.toLowerCase()) changes.scopeMapId = scopeMapId;
  if (existing.properties.status !== status) changes.status = status;
  if (Object.keys(changes).length === 0) {
    platform.info(`Token ${name} unchanged (${status})`);
    return { token: existing, created: false };
  }
  const token = await acr.updateToken(name, changes);
  const described = [changes.scopeMapId ? `scope map → ${scopeMapId.split('/').pop()}` : '', changes.status ? `status ${existing.properties.status} → ${status}` : ''];
  platform.info(`Token ${name} updated: ${described.filter(Boolean).join(', ')}`);
  return { token, created: false };
}

/**
 * The Harbor to register in. One authenticated read of the registry endpoints proves the URL, the credentials and the
 * system-level permission before anything is written in Azure.
 */
async function openHarbor(s: Settings, platform: Platform): Promise<HarborClient> {
  const http = httpClientFor(platform, { caFile: s.harborCaFile && workspacePath(platform, s.harborCaFile), caFileInput: platform.inputName(definition.inputs['harbor-ca-file']), insecure: s.harborInsecure });
  const harbor = new HarborClient(s.harborUrl!, { username: s.harborUsername, password: s.harborPassword }, http);
  await replicationScope(harbor, () =>
    harbor.call('GET', '/registries', { query: { page: 1, page_size: 1 }, expected: [200], what: 'listing registry endpoints' }),
  );
  return harbor;
}

async function registerInHarbor(
  s: Settings,
  platform: Platform,
  harbor: HarborClient,
  acr: { loginServer: string; username: string; password?: string },
): Promise<number> {
  const endpointName = s.harborRegistryName ?? acr.loginServer;
  if (!acr.password && !(await findRegistry(harbor, endpointName))) {
    throw new UserError(
      `Cannot create Harbor registry endpoint '${endpointName}': no password was generated because token ${acr.username} already exists; set ${platform.inputName(inputs.rotate)}: true once to hand Harbor a fresh one`,
    );
  }
  const ensured = await platform.group(`Harbor registry endpoint ${endpointName}`, () =>
    ensureRegistryEndpoint(
      harbor,
      {
        name: endpointName,
        type: 'azure-acr',
        url: s.harborRegistryUrl ?? `https://${acr.loginServer}`,
        username: acr.username,
        password: acr.password,
        description: `ACR token ${acr.username} (managed by harbor-pipelines acr-token)`,
      },
      (m) => platform.info(m),
    ),
  );
  return ensured.id;
}

function isExpired(password: TokenPassword): boolean {
  return password.expiry !== undefined && Date.parse(password.expiry) <= Date.now();
}
