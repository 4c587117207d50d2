// The contract between infra/main.bicep's outputs and the extension: which environment values name
// the deployed app. azd saves a template's outputs into the environment under their own names:
// https://learn.microsoft.com/azure/developer/azure-developer-cli/manage-environment-variables
import { APIM_ENABLED, GATEWAY_URL_OUTPUT } from '../../shared/apiManagementGateway';
import { UserFacingError } from '../common/errors';
import { siteRefOf } from '../azure/resourceIds';

export interface DeploymentOutputs {
  functionName: string;
  hostName: string;
  resourceGroup: string;
  tenantId: string;
  subscriptionId: string;
  resourceId: string;
  location: string;
  environment: string;
}

/**
 * The deployed app, from the environment's values (azd's own plus our Bicep outputs). A missing value
 * means provisioning did not finish (or the template is not ours): the error names the keys.
 */
export function deploymentOutputs(values: Record<string, string>): DeploymentOutputs {
  const get = (...keys: string[]) => keys.map((key) => values[key]?.trim()).find(Boolean);
  const found = {
    functionName: get('AZURE_FUNCTION_NAME', 'SERVICE_API_NAME'),
    hostName: get('SERVICE_API_DEFAULT_HOSTNAME')
      ?.replace(/^https?:\/\//i, '')
      .replace(/\/+$/, ''),
    resourceGroup: get('AZURE_RESOURCE_GROUP'),
    tenantId: get('AZURE_TENANT_ID'),
    subscriptionId: get('AZURE_SUBSCRIPTION_ID'),
    location: get('AZURE_LOCATION'),
    environment: get('AZURE_ENV_NAME'),
  };
  const keyOf: Record<keyof typeof found, string> = {
    functionName: 'AZURE_FUNCTION_NAME',
    hostName: 'SERVICE_API_DEFAULT_HOSTNAME',
    resourceGroup: 'AZURE_RESOURCE_GROUP',
    tenantId: 'AZURE_TENANT_ID',
    subscriptionId: 'AZURE_SUBSCRIPTION_ID',
    location: 'AZURE_LOCATION',
    environment: 'AZURE_ENV_NAME',
  };
  const missing = (Object.keys(found) as (keyof typeof found)[]).filter((field) => !found[field]);
  if (missing.length > 0) {
    const keys = missing.map((field) => keyOf[field]);
    const where = found.environment ? `azd environment ${found.environment}` : 'the azd environment';
    throw new UserFacingError(
      `${where} has no ${keys.join(', ')}. \`azd provision\` may not have finished (or the infrastructure ` +
        'is not this extension’s): deploy again with `azd up` to provision it.',
    );
  }
  const complete = found as { [K in keyof typeof found]: string };
  const resourceId =
    get('SERVICE_API_RESOURCE_ID') ??
    `/subscriptions/${complete.subscriptionId}/resourceGroups/${complete.resourceGroup}/providers/Microsoft.Web/sites/${complete.functionName}`;
  if (!siteRefOf(resourceId)) {
    throw new UserFacingError(
      `SERVICE_API_RESOURCE_ID in ${complete.environment} is not a function app's resource id: ${resourceId}`,
    );
  }
  return { ...complete, resourceId };
}

/**
 * The API Management gateway an environment provisioned (infra/app/gateway/, opt-in with
 * APIM_ENABLED=true): its MCP URL, SERVICE_MCP_GATEWAY_URL. `problem` says why an environment that
 * asks for a gateway has none the extension can use (provisioning did not finish, or the infra/
 * predates the gateway); an environment that does not ask for one has neither.
 */
export function gatewayOutputs(values: Record<string, string>): { endpoint?: string; problem?: string } {
  if (values[APIM_ENABLED]?.trim().toLowerCase() !== 'true') return {};
  const url = values[GATEWAY_URL_OUTPUT]?.trim();
  const where = `The azd environment${values.AZURE_ENV_NAME ? ` ${values.AZURE_ENV_NAME}` : ''}`;
  if (!url) {
    return {
      problem: `${where} has ${APIM_ENABLED}=true but no ${GATEWAY_URL_OUTPUT}: \`azd provision\` has not run since API Management was enabled, or its infra/ predates the gateway. Run "Remote MCP: Enable API Management" (or \`azd provision\`).`,
    };
  }
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') {
    return {
      problem: `${where} has ${GATEWAY_URL_OUTPUT}=${url}, which is not an https URL: the gateway is not used. Check the output in infra/main.bicep, then run \`azd provision\`.`,
    };
  }
  return { endpoint: url };
}
