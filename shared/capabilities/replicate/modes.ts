import { InputError } from '../../errors';
import type { InputSpec } from '../../inputs/definition';
import type { Platform } from '../../platform';
import { definition, type Settings } from './definition';
import { POLICY_INPUTS } from './plan';

type InputKey = keyof typeof definition.inputs;

/**
 * Inputs that only mean something to a Harbor replication policy: the endpoint, the policy's name, its fields (less
 * the filters both modes read), and waiting for the execution. Derived from the policy fields, so a new field is
 * refused in acr-import mode without a second list to keep in step.
 */
const SHARED_FILTERS: InputKey[] = ['name-filter', 'tag-filter', 'tag-match'];
const POLICY_ONLY: InputKey[] = [
  'registry-name',
  'registry-type',
  'registry-url',
  'registry-username',
  'registry-password',
  'registry-insecure',
  'policy-name',
  ...POLICY_INPUTS.filter((key) => !SHARED_FILTERS.includes(key)),
  'wait',
  'stop-on-timeout',
];

/** Inputs that only mean something to an ACR import. */
const ACR_IMPORT_ONLY: InputKey[] = [
  'images',
  'target-repository-prefix',
  'import-mode',
  'parallel-imports',
  'subscription-id',
  'resource-group',
  'registry',
  'client-id',
  'tenant-id',
  'authority-host',
  'oidc-audience',
  'resource-manager-url',
];

/**
 * Refuses the other mode's inputs, naming the first one, before anything is read or written remotely: a pipeline that
 * sets `direction` in acr-import mode (or `registry` in policy mode) expects something this mode would silently skip.
 * Both runners pass an input's default when it is not set, so an input with a default counts only when it differs.
 */
export function checkModeInputs(settings: Settings, platform: Platform): void {
  const name = (key: InputKey) => platform.inputName(definition.inputs[key]);
  const mode = settings.mode;
  const foreign = mode === 'acr-import' ? POLICY_ONLY : ACR_IMPORT_ONLY;
  const otherMode = mode === 'acr-import' ? 'policy' : 'acr-import';
  for (const key of foreign) {
    if (isSet(definition.inputs[key], platform)) {
      throw new InputError(
        `Input '${name(key)}' is only used with ${name('mode')} ${otherMode}; remove it, or set ${name('mode')} to ${otherMode}`,
      );
    }
  }
  if (mode === 'policy' && platform.getServiceConnection('azureSubscription')) {
    throw new InputError(
      `Input 'azureSubscription' is only used with ${name('mode')} acr-import; remove it, or set ${name('mode')} to acr-import`,
    );
  }
}

function isSet(spec: InputSpec, platform: Platform): boolean {
  const raw = platform.getInput(spec)?.trim();
  if (raw === undefined || raw === '') return false;
  return spec.default === undefined || raw.toLowerCase() !== spec.default.toLowerCase();
}
