import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import type { Reservation } from '../../tools/preflight/app-facts';
import { checkLambdaConcurrency } from '../../tools/preflight/checks/lambda-concurrency';
import { awsError, readyAccount, sampleTarget, stubClients } from './stubs';

const RESERVATIONS: Reservation[] = [
  { lob: 'finance', stackPath: 'dev/finance-transform', functionName: 'acme-dev-finance-transform', reserved: 10 },
  { lob: 'marketing', stackPath: 'dev/marketing-transform', functionName: 'acme-dev-marketing-transform', reserved: 20 },
];

function target(reservations: Reservation[]) {
  const base = sampleTarget();
  return { ...base, app: { ...base.app, reservations } };
}

function account(limit: number, unreserved: number) {
  const { clients, mocks } = stubClients();
  readyAccount(mocks);
  mocks.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: limit, UnreservedConcurrentExecutions: unreserved } });
  return { clients, mocks };
}

describe('Lambda concurrency', () => {
  test('ok: nothing reserved passes even in an account with the smallest quota', async () => {
    const { clients, mocks } = account(10, 10);
    expect(await checkLambdaConcurrency(clients, target([]))).toEqual([
      { check: 'lambda-concurrency', status: 'ok', message: 'Account 111111111111 in eu-west-1: concurrency limit 10, 10 unreserved; the dev stacks reserve no concurrency.' },
    ]);
    expect(mocks.lambda.commandCalls(GetFunctionConcurrencyCommand)).toHaveLength(0);
  });

  test('ok: reservations that leave at least 100 unreserved', async () => {
    const { clients } = account(1000, 1000);
    expect(await checkLambdaConcurrency(clients, target(RESERVATIONS))).toEqual([{
      check: 'lambda-concurrency', status: 'ok',
      message: 'Account 111111111111 in eu-west-1: concurrency limit 1000, 1000 unreserved; the dev stacks reserve 30 (acme-dev-finance-transform 10, acme-dev-marketing-transform 20), '
        + 'leaving 970 unreserved (Lambda keeps at least 100).',
    }]);
  });

  test('ok: exactly 100 left', async () => {
    const { clients } = account(130, 130);
    expect((await checkLambdaConcurrency(clients, target(RESERVATIONS)))[0].status).toBe('ok');
  });

  test('problem: a new account\'s quota of 10, with the numbers and what to do', async () => {
    const { clients } = account(10, 10);
    expect(await checkLambdaConcurrency(clients, target(RESERVATIONS))).toEqual([{
      check: 'lambda-concurrency', status: 'problem',
      message: 'Account 111111111111 in eu-west-1: concurrency limit 10, 10 unreserved; the dev stacks reserve 30 (acme-dev-finance-transform 10, acme-dev-marketing-transform 20), '
        + 'which would leave -20 unreserved: Lambda refuses reservations that leave fewer than 100, so the stacks holding these functions fail to deploy.',
      action: 'Ask for a Lambda "Concurrent executions" quota of at least 130 in eu-west-1 (Service Quotas console; increases take time to approve), '
        + 'or reserve less: transform.reservedConcurrency in config/lobs/finance.yaml, config/lobs/marketing.yaml (leave it unset to reserve nothing).',
    }]);
  });

  test('problem: other functions of the account already hold reservations', async () => {
    const { clients } = account(1000, 120);
    expect(await checkLambdaConcurrency(clients, target(RESERVATIONS))).toEqual([{
      check: 'lambda-concurrency', status: 'problem',
      message: 'Account 111111111111 in eu-west-1: concurrency limit 1000, 120 unreserved; the dev stacks reserve 30 (acme-dev-finance-transform 10, acme-dev-marketing-transform 20), '
        + 'which would leave 90 unreserved: Lambda refuses reservations that leave fewer than 100, so the stacks holding these functions fail to deploy.',
      action: 'Ask for a Lambda "Concurrent executions" quota of at least 1010 in eu-west-1 (Service Quotas console; increases take time to approve), '
        + 'or reserve less: transform.reservedConcurrency in config/lobs/finance.yaml, config/lobs/marketing.yaml (leave it unset to reserve nothing).',
    }]);
  });

  test('a redeploy counts only what the existing functions do not hold yet', async () => {
    const { clients, mocks } = account(1000, 110);
    mocks.lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'acme-dev-marketing-transform' }).resolves({ ReservedConcurrentExecutions: 20 });
    expect(await checkLambdaConcurrency(clients, target(RESERVATIONS))).toEqual([{
      check: 'lambda-concurrency', status: 'ok',
      message: 'Account 111111111111 in eu-west-1: concurrency limit 1000, 110 unreserved; the dev stacks reserve 30 (acme-dev-finance-transform 10, acme-dev-marketing-transform 20) '
        + '(20 of it already reserved by the existing functions), leaving 100 unreserved (Lambda keeps at least 100).',
    }]);
  });

  test('problem: account settings unreadable', async () => {
    const { clients, mocks } = account(1000, 1000);
    mocks.lambda.on(GetAccountSettingsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:GetAccountSettings', 403));
    expect(await checkLambdaConcurrency(clients, target(RESERVATIONS))).toEqual([{
      check: 'lambda-concurrency', status: 'problem',
      message: 'Could not check the Lambda concurrency of 111111111111/eu-west-1: AccessDeniedException: not authorized to perform: lambda:GetAccountSettings',
      action: 'Run preflight with credentials allowed lambda:GetAccountSettings (docs/first-deploy.md lists every action preflight calls).',
    }]);
  });
});
