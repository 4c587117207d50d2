// Known azd failures and what to tell the user, as a table: each rule's patterns are tried on the
// whole output of a run, and the first rule with a matching pattern gives the remedy, so the order of
// the table is its priority (a provider that is not registered also surfaces as other errors).

export type AzdRemedyKind =
  | 'apim-soft-deleted'
  | 'provider-not-registered'
  | 'transient-tag'
  | 'not-signed-in'
  | 'quota'
  | 'missing-input'
  | 'internal-server-error';

export interface AzdRemedy {
  kind: AzdRemedyKind;
  message: string;
  /** Running the same command again may well succeed. */
  retry: boolean;
  /** A command the user can run to fix it. */
  command?: string;
}

interface RemedyRule {
  kind: AzdRemedyKind;
  /** Tried in order; the first match is handed to `fix` (its groups carry names from the output). */
  patterns: readonly RegExp[];
  retry: boolean;
  /** `text` is the whole output, for facts printed elsewhere than the error (azd's `Location:` line). */
  fix(match: RegExpExecArray, text: string): { message: string; command?: string };
}

/** What a resource provider is needed for, in the remedy's words. */
const providerPurposes: Record<string, string> = {
  'microsoft.app': 'Flex Consumption function apps need',
  'microsoft.apimanagement': 'the API Management gateway needs',
};

const portalProviders =
  'or in the Azure portal: your subscription > Settings > Resource providers > select it > Register';

const remedyRules: readonly RemedyRule[] = [
  {
    // API Management keeps a deleted service 48 hours under its name, so provisioning an environment
    // again (after `azd down`, or the resource group deleted) fails until it is purged:
    // https://learn.microsoft.com/azure/api-management/soft-delete
    kind: 'apim-soft-deleted',
    patterns: [
      /ServiceAlreadyExistsInSoftDeletedState\W+Api service ([\w-]+) was soft-deleted/i,
      /ServiceAlreadyExistsInSoftDeletedState/i,
    ],
    retry: false,
    fix: (match, text) => {
      const service = match[1] ?? '<service name>';
      const location = /^\s*Location:\s*([\w-]+)\s*$/m.exec(text)?.[1] ?? '<region>';
      const command = `az apim deletedservice purge --service-name ${service} --location ${location}`;
      return {
        message:
          `An API Management service named ${service} was deleted recently and is kept soft-deleted under that ` +
          `name for 48 hours. Purge it with \`${command}\` (or in the Azure portal: API Management services > ` +
          'Manage deleted APIM services), then run Enable API Management again.',
        command,
      };
    },
  },
  {
    kind: 'provider-not-registered',
    patterns: [
      /not registered to use namespace '([\w.]+)'/i,
      /MissingSubscriptionRegistration[^\n]*?'?(Microsoft\.[\w.]+)/i,
      /MissingSubscriptionRegistration/i,
    ],
    retry: false,
    // https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider
    fix: (match) => {
      const namespace = match[1] ?? 'Microsoft.App';
      const command = `az provider register --namespace ${namespace}`;
      const purpose = providerPurposes[namespace.toLowerCase()] ?? 'this deployment needs';
      return {
        message:
          `Your subscription is not registered for the ${namespace} resource provider, which ${purpose}. ` +
          `Register it with \`${command}\` ${portalProviders}. Registration takes a few ` +
          'minutes; deploy again once it shows Registered.',
        command,
      };
    },
  },
  {
    kind: 'not-signed-in',
    patterns: [/not logged in, run `azd (auth )?login`|reauthentication required|AADSTS\d+/i],
    retry: false,
    fix: () => ({
      message:
        'azd is not signed in to Azure (or its sign-in expired): run `azd auth login`, then deploy again.',
      command: 'azd auth login',
    }),
  },
  {
    kind: 'transient-tag',
    patterns: [/unable to find a resource tagged with '(azd-service-name: [\w-]+)'/i],
    retry: true,
    fix: (match) => ({
      message:
        `azd could not find the function app tagged '${match[1]}'. This happens right after provisioning; ` +
        "retrying usually works (Azure's resource index lags a little behind). If it keeps failing, the " +
        'environment was probably never provisioned: run a full deploy (azd up).',
    }),
  },
  {
    kind: 'quota',
    patterns: [/InsufficientQuota|QuotaExceeded|OverQuota|exceed(?:s|ing|ed)? (?:the )?(?:approved )?quota/i],
    retry: false,
    fix: () => ({
      message:
        'Your subscription has no quota left for these resources in this region. Deploy to another region ' +
        '(`azd env set AZURE_LOCATION <region>`, then deploy again) or request more quota in the Azure portal.',
      command: 'azd env set AZURE_LOCATION <region>',
    }),
  },
  {
    kind: 'missing-input',
    patterns: [/no default response for prompt '([^']+)'/],
    retry: false,
    fix: (match) => ({
      message:
        `azd needed an answer it cannot ask for without a prompt ("${match[1]!.trim()}"). Give the ` +
        'environment its subscription and region (`azd env set AZURE_SUBSCRIPTION_ID <id>`, ' +
        '`azd env set AZURE_LOCATION <region>`) or create it again with both, then deploy again.',
    }),
  },
  {
    kind: 'internal-server-error',
    patterns: [/InternalServerError/],
    retry: true,
    fix: () => {
      const command = 'az provider register --namespace Microsoft.App';
      return {
        message:
          'Azure answered with an internal server error while provisioning. For a Flex Consumption function ' +
          `app this is often the Microsoft.App resource provider not being registered: \`${command}\` ` +
          `${portalProviders}. Otherwise it is transient and retrying usually works.`,
        command,
      };
    },
  },
];

/** The remedy of the first rule that recognises the output; undefined for an unknown failure. */
export function remedyFor(text: string): AzdRemedy | undefined {
  for (const rule of remedyRules) {
    for (const pattern of rule.patterns) {
      const match = pattern.exec(text);
      if (match) return { kind: rule.kind, retry: rule.retry, ...rule.fix(match, text) };
    }
  }
  return undefined;
}
