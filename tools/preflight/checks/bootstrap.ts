/**
 * CDK bootstrap: the bootstrap stack (CloudFormation DescribeStacks) in the environment's region,
 * its status, qualifier and `BootstrapVersion` output against the minimum the synthesized templates
 * require (their `CheckBootstrapVersion` rule), and the SSM parameter that rule reads at deploy.
 */
import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DEFAULT_QUALIFIER, DEFAULT_TOOLKIT_STACK_NAME } from '../app-facts';
import { couldNotCheck, errorName } from '../aws';
import type { Check, Finding } from '../types';

export const CHECK = 'bootstrap';

/** Statuses a stack can be deployed against. */
const USABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

export const checkBootstrap: Check = async (clients, { environment, app }) => {
  const { account, region } = environment;
  const { toolkitStackName, qualifier, minimumVersion, versionParameter } = app.bootstrap;
  const bootstrapCommand = `npx cdk bootstrap aws://${account}/${region}${qualifier === DEFAULT_QUALIFIER ? '' : ` --qualifier ${qualifier}`}`
    + `${toolkitStackName === DEFAULT_TOOLKIT_STACK_NAME ? '' : ` --toolkit-stack-name ${toolkitStackName}`}`;
  const requirement = minimumVersion === undefined ? 'the templates state no minimum' : `the templates require ${minimumVersion} or later`;

  let stack: Stack | undefined;
  try {
    stack = (await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: toolkitStackName }))).Stacks?.[0];
  } catch (error) {
    if (errorName(error) !== 'ValidationError') return [couldNotCheck(CHECK, `the bootstrap stack ${toolkitStackName}`, error, 'cloudformation:DescribeStacks')];
  }
  if (!stack) {
    return [{
      check: CHECK, status: 'problem',
      message: `No CDK bootstrap stack ${toolkitStackName} in ${account}/${region}: the account and region are not bootstrapped.`,
      action: `Run \`${bootstrapCommand}\`.`,
    }];
  }

  const status = stack.StackStatus ?? 'UNKNOWN';
  const version = Number(stack.Outputs?.find((output) => output.OutputKey === 'BootstrapVersion')?.OutputValue);
  const stackQualifier = stack.Parameters?.find((parameter) => parameter.ParameterKey === 'Qualifier')?.ParameterValue;
  const shown = `${toolkitStackName} in ${account}/${region}: ${status}, bootstrap version ${Number.isInteger(version) ? version : 'unknown'}`;

  if (!USABLE.has(status)) {
    return [{ check: CHECK, status: 'problem', message: `${shown}; a deploy needs it in a *_COMPLETE state.`, action: statusAction(status, toolkitStackName, region, bootstrapCommand) }];
  }
  const findings: Finding[] = [];
  if (stackQualifier !== undefined && stackQualifier !== qualifier) {
    const second = `${DEFAULT_TOOLKIT_STACK_NAME}-${qualifier}`;
    findings.push({
      check: CHECK, status: 'problem',
      message: `${toolkitStackName} was bootstrapped with qualifier ${stackQualifier}, but the app uses ${qualifier} `
        + `(${qualifier === DEFAULT_QUALIFIER ? 'the default: cdk.json sets no @aws-cdk/core:bootstrapQualifier' : 'cdk.json @aws-cdk/core:bootstrapQualifier'}).`,
      action: `Either set "@aws-cdk/core:bootstrapQualifier": "${stackQualifier}" in cdk.json's context to use this bootstrap, or bootstrap a second toolkit stack `
        + `(\`npx cdk bootstrap aws://${account}/${region} --qualifier ${qualifier} --toolkit-stack-name ${second}\`) and set "toolkitStackName": "${second}" in cdk.json.`,
    });
  } else if (!Number.isInteger(version)) {
    findings.push({ check: CHECK, status: 'problem', message: `${shown}: the stack has no BootstrapVersion output.`, action: `Bootstrap again: \`${bootstrapCommand}\`.` });
  } else if (minimumVersion !== undefined && version < minimumVersion) {
    findings.push({
      check: CHECK, status: 'problem',
      message: `${shown}, but ${requirement} (their CheckBootstrapVersion rule).`,
      action: `Upgrade the bootstrap stack in place: \`${bootstrapCommand}\`.`,
    });
  } else {
    findings.push({ check: CHECK, status: 'ok', message: `${shown}, qualifier ${qualifier}; ${requirement}.` });
  }
  if (findings.some((finding) => finding.status === 'problem')) return findings;

  // What the templates' rule actually reads at deploy time.
  try {
    const value = (await clients.ssm.send(new GetParameterCommand({ Name: versionParameter }))).Parameter?.Value;
    const parameterVersion = Number(value);
    if (minimumVersion !== undefined && !(parameterVersion >= minimumVersion)) {
      findings.push({
        check: CHECK, status: 'problem',
        message: `SSM parameter ${versionParameter} holds ${JSON.stringify(value)}, but ${requirement}: the templates read their bootstrap version from it.`,
        action: `Bootstrap again so the stack rewrites it: \`${bootstrapCommand}\`.`,
      });
    }
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') {
      findings.push({
        check: CHECK, status: 'problem',
        message: `SSM parameter ${versionParameter} does not exist in ${region}: every template reads its bootstrap version from it, so every deploy would fail.`,
        action: `Bootstrap again so the stack recreates it: \`${bootstrapCommand}\`.`,
      });
    } else {
      findings.push(couldNotCheck(CHECK, `SSM parameter ${versionParameter}`, error, 'ssm:GetParameter'));
    }
  }
  return findings;
};

function statusAction(status: string, stackName: string, region: string, bootstrapCommand: string): string {
  if (status.endsWith('_IN_PROGRESS')) return `Wait until the stack operation finishes (CloudFormation console, stack ${stackName}), then run preflight again.`;
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED') {
    return `Its creation failed: read the stack's events for the cause, delete it (\`aws cloudformation delete-stack --stack-name ${stackName} --region ${region}\`), then \`${bootstrapCommand}\`.`;
  }
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return `Finish the rollback (\`aws cloudformation continue-update-rollback --stack-name ${stackName} --region ${region}\`), then \`${bootstrapCommand}\`.`;
  }
  return `Read the stack's events in the CloudFormation console, fix the cause, then \`${bootstrapCommand}\`.`;
}
