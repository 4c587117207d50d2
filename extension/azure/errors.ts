// The errors of ARM calls, each with a message written for users (what failed, what to do), and the
// translation of the SDK's RestError into them. Part of the Azure bundle (dist/azure.js).
//
// Errors cross the bundle boundary, where `instanceof` against a class from another bundle fails:
// every error class here sets a distinct `name` the extension can test instead.
import { isRestError } from '@azure/arm-appservice';
import type { RemoteServerKind } from '../remote/remoteServers';
import type { SiteRef } from './resourceIds';

/** An ARM call failed. `statusCode` and `code` are ARM's (absent when Azure was not reached). */
export class AzureApiError extends Error {
  override name = 'AzureApiError';
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** ARM answered 404: the app, its resource group or its subscription does not exist (any more). */
export class SiteNotFoundError extends AzureApiError {
  override name = 'SiteNotFoundError';
}

/** ARM answered 401 (the sign-in) or 403 (the role on the app). */
export class AzureAccessError extends AzureApiError {
  override name = 'AzureAccessError';
}

/** The app has no MCP key of its kind yet (the `mcp_extension` system key, or the `default` function key), after waiting for it. */
export class KeyNotReadyError extends AzureApiError {
  override name = 'KeyNotReadyError';
  constructor(
    readonly siteName: string,
    readonly waitedMs: number,
    readonly kind: RemoteServerKind = 'functionsMcpExtension',
  ) {
    const waited = `waited ${Math.round(waitedMs / 1000)} s`;
    super(
      kind === 'selfHosted'
        ? `The function app ${siteName} has no default function key yet (${waited}): its host has not started since the deploy. Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key.`
        : `The function app ${siteName} has not loaded the MCP extension yet, so it has no mcp_extension key (${waited}). Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key.`,
    );
  }
}

/**
 * Whether an error comes from this module with a message written for users (what failed, what to
 * do). Call it inside this bundle (through loadAzure()): `instanceof` works here.
 */
export function isUserFacingAzureError(error: unknown): error is AzureApiError {
  return error instanceof AzureApiError;
}

/**
 * Turns a failed ARM call into an error that says what to do. `action` completes "Could not …",
 * e.g. "read the host keys of". Aborts pass through untouched.
 */
export function armError(error: unknown, ref: SiteRef, action: string): unknown {
  if (error instanceof AzureApiError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (!isRestError(error)) return error;
  const status = error.statusCode;
  const code = error.code;
  const arm = `${code ?? 'no error code'}: ${error.message}`;
  const app = `the function app ${ref.name}`;
  if (status === undefined) {
    return new AzureApiError(
      `Could not ${action} ${app}: Azure Resource Manager could not be reached (${arm}). Check the network connection and proxy settings.`,
      undefined,
      code,
    );
  }
  if (status === 404) {
    const where =
      code === 'ResourceGroupNotFound'
        ? `the resource group ${ref.resourceGroup} does not exist in subscription ${ref.subscriptionId}`
        : code === 'SubscriptionNotFound'
          ? `the subscription ${ref.subscriptionId} was not found, or the signed-in account cannot see it`
          : `it was not found in resource group ${ref.resourceGroup} (subscription ${ref.subscriptionId})`;
    return new SiteNotFoundError(
      `Could not ${action} ${app}: ${where}. It may have been deleted, or the app is in another subscription; deploy again or remove the server.`,
      status,
      code,
    );
  }
  if (status === 401) {
    return new AzureAccessError(
      `Could not ${action} ${app}: Azure did not accept the sign-in (${arm}). Sign in to Azure again, with an account of the app's tenant.`,
      status,
      code,
    );
  }
  if (status === 403) {
    return new AzureAccessError(
      `Could not ${action} ${app}: the signed-in account is not allowed to (${arm}). It needs the Website Contributor or Contributor role on the app or its resource group ${ref.resourceGroup}.`,
      status,
      code,
    );
  }
  return new AzureApiError(`Could not ${action} ${app}: Azure answered ${status} (${arm}).`, status, code);
}

/** Runs one ARM call on a site; a failure becomes the user-facing error {@link armError} makes of it. */
export async function callArm<T>(ref: SiteRef, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw armError(error, ref, action);
  }
}
