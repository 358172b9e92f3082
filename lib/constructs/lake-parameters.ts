/**
 * Publishes the names scripts need (bucket names, queue URLs, workgroups, the curation state
 * machine) as SSM parameters under one prefix per environment and LoB,
 * `/<org>/<env>/<lob>/<name>`, so tools read what was deployed instead of re-deriving names.
 */
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type NameScope, parameterName } from '../config/names';

export class LakeParameters extends Construct {
  constructor(scope: Construct, id: string, names: NameScope, lob: string, values: Record<string, string>) {
    super(scope, id);
    for (const [name, value] of Object.entries(values)) {
      new ssm.StringParameter(this, name, {
        parameterName: parameterName(names, lob, name),
        stringValue: value,
        description: `Lakeworks ${lob} (${names.environment}): ${name}`,
      });
    }
  }
}
