import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { checkCredentials } from '../../tools/preflight/checks/credentials';
import { CALLER, awsError, readyAccount, sampleTarget, stubClients } from './stubs';

const USE = 'Use credentials for account 111111111111 (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID and friends) and run preflight again.';

describe('credentials and account', () => {
  test('ok: the caller is in the environment\'s account', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    expect(await checkCredentials(clients, sampleTarget())).toEqual([
      { check: 'credentials', status: 'ok', message: `Signed in to account 111111111111 as ${CALLER}, the account of environment dev.` },
    ]);
  });

  test('problem: another account, saying which one and which the config expects', async () => {
    const { clients, mocks } = stubClients();
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999', Arn: 'arn:aws:sts::999999999999:assumed-role/Admin/jane' });
    expect(await checkCredentials(clients, sampleTarget())).toEqual([{
      check: 'credentials', status: 'problem',
      message: 'Signed in to account 999999999999 as arn:aws:sts::999999999999:assumed-role/Admin/jane, but environment dev is account 111111111111 (config/platform.yaml).',
      action: USE,
    }]);
  });

  test('problem: no credentials at all', async () => {
    const { clients, mocks } = stubClients();
    mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(await checkCredentials(clients, sampleTarget())).toEqual([{
      check: 'credentials', status: 'problem', message: 'No usable AWS credentials: CredentialsProviderError: Could not load credentials from any providers', action: USE,
    }]);
  });

  test('problem: expired credentials', async () => {
    const { clients, mocks } = stubClients();
    mocks.sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 'The security token included in the request is expired', 403));
    expect(await checkCredentials(clients, sampleTarget())).toEqual([{
      check: 'credentials', status: 'problem', message: 'No usable AWS credentials: ExpiredToken: The security token included in the request is expired', action: USE,
    }]);
  });

  test('problem: STS unreachable', async () => {
    const { clients, mocks } = stubClients();
    mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'), { name: 'Error' }));
    expect(await checkCredentials(clients, sampleTarget())).toEqual([{
      check: 'credentials', status: 'problem', message: 'STS GetCallerIdentity failed: getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com', action: USE,
    }]);
  });
});
