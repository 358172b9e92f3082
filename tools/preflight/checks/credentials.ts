/**
 * Credentials and account: STS GetCallerIdentity through the standard credential chain. Every
 * other check reads the account the credentials belong to, so they only run when it is the
 * environment's.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describeError, errorName } from '../aws';
import type { Check, Finding } from '../types';

export const CHECK = 'credentials';

const NO_CREDENTIALS = /CredentialsProviderError|TokenProviderError|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|TokenRefreshRequired|InvalidGrant/;

export const checkCredentials: Check = async (clients, { environment }) => {
  const expected = environment.account;
  const useCredentials = `Use credentials for account ${expected} (AWS_PROFILE, \`aws sso login\`, or AWS_ACCESS_KEY_ID and friends) and run preflight again.`;
  let identity;
  try {
    identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    const finding: Finding = NO_CREDENTIALS.test(errorName(error))
      ? { check: CHECK, status: 'problem', message: `No usable AWS credentials: ${describeError(error)}`, action: useCredentials }
      : { check: CHECK, status: 'problem', message: `STS GetCallerIdentity failed: ${describeError(error)}`, action: useCredentials };
    return [finding];
  }
  if (identity.Account !== expected) {
    return [{
      check: CHECK, status: 'problem',
      message: `Signed in to account ${identity.Account} as ${identity.Arn}, but environment ${environment.name} is account ${expected} (config/platform.yaml).`,
      action: useCredentials,
    }];
  }
  return [{ check: CHECK, status: 'ok', message: `Signed in to account ${identity.Account} as ${identity.Arn}, the account of environment ${environment.name}.` }];
};
