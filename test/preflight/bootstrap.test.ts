import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { checkBootstrap } from '../../tools/preflight/checks/bootstrap';
import { awsError, readyAccount, sampleTarget, stackMissing, stubClients, toolkitStack } from './stubs';

function setUp(stack?: ReturnType<typeof toolkitStack>) {
  const { clients, mocks } = stubClients();
  readyAccount(mocks);
  if (stack) mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).resolves({ Stacks: [stack] });
  return { clients, mocks };
}

describe('CDK bootstrap', () => {
  test('ok: status, version against the templates\' minimum, qualifier', async () => {
    const { clients } = setUp();
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'ok',
      message: 'CDKToolkit in 111111111111/eu-west-1: UPDATE_COMPLETE, bootstrap version 30, qualifier hnb659fds; the templates require 6 or later.',
    }]);
  });

  test('ok: exactly the minimum, after a rolled-back update', async () => {
    const { clients, mocks } = setUp(toolkitStack('UPDATE_ROLLBACK_COMPLETE', '6'));
    mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '6' } });
    expect((await checkBootstrap(clients, sampleTarget()))[0]).toEqual({
      check: 'bootstrap', status: 'ok',
      message: 'CDKToolkit in 111111111111/eu-west-1: UPDATE_ROLLBACK_COMPLETE, bootstrap version 6, qualifier hnb659fds; the templates require 6 or later.',
    });
  });

  test('problem: not bootstrapped', async () => {
    const { clients, mocks } = setUp();
    mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).rejects(stackMissing('CDKToolkit'));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'No CDK bootstrap stack CDKToolkit in 111111111111/eu-west-1: the account and region are not bootstrapped.',
      action: 'Run `npx cdk bootstrap aws://111111111111/eu-west-1`.',
    }]);
  });

  test('problem: a version below what the templates require', async () => {
    const { clients } = setUp(toolkitStack('CREATE_COMPLETE', '5'));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'CDKToolkit in 111111111111/eu-west-1: CREATE_COMPLETE, bootstrap version 5, but the templates require 6 or later (their CheckBootstrapVersion rule).',
      action: 'Upgrade the bootstrap stack in place: `npx cdk bootstrap aws://111111111111/eu-west-1`.',
    }]);
  });

  test('problem: the minimum comes from the synthesized templates, not a constant', async () => {
    const { clients } = setUp(toolkitStack('UPDATE_COMPLETE', '21'));
    const target = sampleTarget();
    const stricter = { ...target, app: { ...target.app, bootstrap: { ...target.app.bootstrap, minimumVersion: 25 } } };
    expect((await checkBootstrap(clients, stricter))[0].message)
      .toBe('CDKToolkit in 111111111111/eu-west-1: UPDATE_COMPLETE, bootstrap version 21, but the templates require 25 or later (their CheckBootstrapVersion rule).');
  });

  test('problem: a failed creation', async () => {
    const { clients } = setUp(toolkitStack('ROLLBACK_COMPLETE', undefined));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'CDKToolkit in 111111111111/eu-west-1: ROLLBACK_COMPLETE, bootstrap version unknown; a deploy needs it in a *_COMPLETE state.',
      action: 'Its creation failed: read the stack\'s events for the cause, delete it (`aws cloudformation delete-stack --stack-name CDKToolkit --region eu-west-1`), '
        + 'then `npx cdk bootstrap aws://111111111111/eu-west-1`.',
    }]);
  });

  test('problem: an operation still running', async () => {
    const { clients } = setUp(toolkitStack('UPDATE_IN_PROGRESS', '30'));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'CDKToolkit in 111111111111/eu-west-1: UPDATE_IN_PROGRESS, bootstrap version 30; a deploy needs it in a *_COMPLETE state.',
      action: 'Wait until the stack operation finishes (CloudFormation console, stack CDKToolkit), then run preflight again.',
    }]);
  });

  test('problem: a failed rollback', async () => {
    const { clients } = setUp(toolkitStack('UPDATE_ROLLBACK_FAILED', '30'));
    expect((await checkBootstrap(clients, sampleTarget()))[0].action)
      .toBe('Finish the rollback (`aws cloudformation continue-update-rollback --stack-name CDKToolkit --region eu-west-1`), then `npx cdk bootstrap aws://111111111111/eu-west-1`.');
  });

  test('problem: bootstrapped with another qualifier', async () => {
    const { clients } = setUp(toolkitStack('UPDATE_COMPLETE', '30', 'other1'));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'CDKToolkit was bootstrapped with qualifier other1, but the app uses hnb659fds (the default: cdk.json sets no @aws-cdk/core:bootstrapQualifier).',
      action: 'Either set "@aws-cdk/core:bootstrapQualifier": "other1" in cdk.json\'s context to use this bootstrap, or bootstrap a second toolkit stack '
        + '(`npx cdk bootstrap aws://111111111111/eu-west-1 --qualifier hnb659fds --toolkit-stack-name CDKToolkit-hnb659fds`) and set "toolkitStackName": "CDKToolkit-hnb659fds" in cdk.json.',
    }]);
  });

  test('ok: a custom qualifier and toolkit stack name from cdk.json', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'LakeToolkit' }).resolves({ Stacks: [{ ...toolkitStack('CREATE_COMPLETE', '30', 'lake1'), StackName: 'LakeToolkit' }] });
    mocks.ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/lake1/version' }).resolves({ Parameter: { Value: '30' } });
    const target = sampleTarget();
    const custom = { ...target, app: { ...target.app, bootstrap: { qualifier: 'lake1', toolkitStackName: 'LakeToolkit', minimumVersion: 6, versionParameter: '/cdk-bootstrap/lake1/version' } } };
    expect(await checkBootstrap(clients, custom)).toEqual([{
      check: 'bootstrap', status: 'ok', message: 'LakeToolkit in 111111111111/eu-west-1: CREATE_COMPLETE, bootstrap version 30, qualifier lake1; the templates require 6 or later.',
    }]);
    expect(mocks.ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/cdk-bootstrap/lake1/version' });
  });

  test('problem: not bootstrapped with a custom qualifier says how to bootstrap with it', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    const target = sampleTarget();
    const custom = { ...target, app: { ...target.app, bootstrap: { qualifier: 'lake1', toolkitStackName: 'LakeToolkit', minimumVersion: 6, versionParameter: '/cdk-bootstrap/lake1/version' } } };
    expect((await checkBootstrap(clients, custom))[0].action).toBe('Run `npx cdk bootstrap aws://111111111111/eu-west-1 --qualifier lake1 --toolkit-stack-name LakeToolkit`.');
  });

  test('problem: the SSM parameter the templates read is missing', async () => {
    const { clients, mocks } = setUp();
    mocks.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ $metadata: { httpStatusCode: 400 }, message: '' }));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([
      { check: 'bootstrap', status: 'ok', message: 'CDKToolkit in 111111111111/eu-west-1: UPDATE_COMPLETE, bootstrap version 30, qualifier hnb659fds; the templates require 6 or later.' },
      {
        check: 'bootstrap', status: 'problem',
        message: 'SSM parameter /cdk-bootstrap/hnb659fds/version does not exist in eu-west-1: every template reads its bootstrap version from it, so every deploy would fail.',
        action: 'Bootstrap again so the stack recreates it: `npx cdk bootstrap aws://111111111111/eu-west-1`.',
      },
    ]);
  });

  test('problem: the SSM parameter holds an older version than the stack reports', async () => {
    const { clients, mocks } = setUp();
    mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '5' } });
    expect((await checkBootstrap(clients, sampleTarget()))[1]).toEqual({
      check: 'bootstrap', status: 'problem',
      message: 'SSM parameter /cdk-bootstrap/hnb659fds/version holds "5", but the templates require 6 or later: the templates read their bootstrap version from it.',
      action: 'Bootstrap again so the stack rewrites it: `npx cdk bootstrap aws://111111111111/eu-west-1`.',
    });
  });

  test('problem: a stack without a BootstrapVersion output', async () => {
    const { clients } = setUp(toolkitStack('CREATE_COMPLETE', undefined));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'CDKToolkit in 111111111111/eu-west-1: CREATE_COMPLETE, bootstrap version unknown: the stack has no BootstrapVersion output.',
      action: 'Bootstrap again: `npx cdk bootstrap aws://111111111111/eu-west-1`.',
    }]);
  });

  test('problem: access denied says which permission is missing', async () => {
    const { clients, mocks } = setUp();
    mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' })
      .rejects(awsError('AccessDenied', 'User: arn:aws:sts::111111111111:assumed-role/Deployer/jane is not authorized to perform: cloudformation:DescribeStacks', 403));
    expect(await checkBootstrap(clients, sampleTarget())).toEqual([{
      check: 'bootstrap', status: 'problem',
      message: 'Could not check the bootstrap stack CDKToolkit: AccessDenied: User: arn:aws:sts::111111111111:assumed-role/Deployer/jane is not authorized to perform: cloudformation:DescribeStacks',
      action: 'Run preflight with credentials allowed cloudformation:DescribeStacks (docs/first-deploy.md lists every action preflight calls).',
    }]);
  });
});
