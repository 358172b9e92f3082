/**
 * The IAM principals a stack's Lake Formation resources name: grantees, registration roles and
 * data lake administrators, as their templates spell them (an ARN, its Fn::Join with partition and
 * account references, or a same-stack role's Fn::GetAtt).
 */
import type { AssemblyStack } from './cloud-assembly';

export interface NamedPrincipal {
  readonly kind: 'role' | 'user' | 'other';
  /** The role or user name; the whole ARN for other principals. */
  readonly name: string;
  /** The ARN with references written as ${Partition} and ${AccountId}, for messages and config matching. */
  readonly arnPattern: string;
  /** The role `cdk bootstrap` creates for CloudFormation to deploy with. */
  readonly bootstrap: boolean;
}

function render(value: unknown, template: AssemblyStack['template']): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, any>;
  if (object?.['Fn::Join']) return (object['Fn::Join'][1] as unknown[]).map((part) => render(part, template)).join(object['Fn::Join'][0]);
  if (object?.Ref) return `\${${String(object.Ref).replace(/^AWS::/, '')}}`;
  if (object?.['Fn::GetAtt']) {
    const [id, attribute] = object['Fn::GetAtt'];
    const role = template.Resources?.[id];
    if (role?.Type === 'AWS::IAM::Role' && attribute === 'Arn') return `arn:\${Partition}:iam::\${AccountId}:role/${role.Properties?.RoleName ?? id}`;
  }
  return JSON.stringify(value);
}

function principalOf(value: unknown, template: AssemblyStack['template']): NamedPrincipal {
  const arn = render(value, template);
  const match = /^arn:[^:]+:iam::[^:]*:(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) return { kind: 'other', name: arn, arnPattern: arn, bootstrap: false };
  return { kind: match[1] as 'role' | 'user', name: match[2], arnPattern: arn, bootstrap: match[1] === 'role' && /^cdk-[a-z0-9]+-cfn-exec-role-/.test(match[2]) };
}

export function lakeFormationPrincipals(stack: AssemblyStack): Array<{ resource: string; principal: NamedPrincipal }> {
  const found: Array<{ resource: string; principal: NamedPrincipal }> = [];
  const template = stack.template;
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const properties = resource.Properties ?? {};
    const named: unknown[] = [];
    switch (resource.Type) {
      case 'AWS::LakeFormation::PrincipalPermissions': named.push(properties.Principal?.DataLakePrincipalIdentifier); break;
      case 'AWS::LakeFormation::Permissions': named.push(properties.DataLakePrincipal?.DataLakePrincipalIdentifier); break;
      case 'AWS::LakeFormation::Resource': if (properties.RoleArn) named.push(properties.RoleArn); break;
      case 'AWS::LakeFormation::DataLakeSettings': for (const admin of properties.Admins ?? []) named.push(admin.DataLakePrincipalIdentifier); break;
      default: break;
    }
    for (const value of named) if (value !== undefined) found.push({ resource: id, principal: principalOf(value, template) });
  }
  return found;
}
