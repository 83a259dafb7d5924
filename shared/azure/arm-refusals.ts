import { UserError } from '../errors';
import { ArmError } from './arm-client';

/** How one resource client words ARM's refusals a user can fix; the rejected token reads the same for every resource. */
export interface ArmRefusals {
  /** A missing role assignment (403, AuthorizationFailed, LinkedAuthorizationFailed). */
  denied(error: ArmError): string;
  /** Throttling that outlived the client's waits (429). Without it, Azure's own message stands. */
  throttled?(error: ArmError): string;
  /** The resource (or its resource group or subscription) is not there, or undefined where this answer means otherwise. */
  notFound(error: ArmError): UserError | undefined;
}

/**
 * Runs one ARM call and turns the answers a user can fix into one line of advice, decided by status and error code;
 * everything else keeps Azure's message.
 */
export async function guardArm<T>(fn: () => Promise<T>, refusals: ArmRefusals): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof ArmError)) throw error;
    if (error.denied) throw new UserError(refusals.denied(error), { cause: error });
    if (error.status === 429 && refusals.throttled) throw new UserError(refusals.throttled(error), { cause: error });
    if (error.status === 401) {
      const detail = error.azureMessage ? `: ${error.azureMessage}` : error.code ? ` ${error.code}` : '';
      throw new UserError(
        `Azure rejected the access token (401${detail}); check the identity's tenant and that the sign-in is still valid`,
        { cause: error },
      );
    }
    const missing = refusals.notFound(error);
    if (missing) throw Object.assign(missing, { cause: error });
    throw error;
  }
}
