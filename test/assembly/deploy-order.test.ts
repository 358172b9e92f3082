/**
 * A first deploy works only if every principal a Lake Formation grant, filter, registration or
 * setting names exists before it: Lake Formation refuses a grant to a role that does not exist
 * (`Invalid principal`) and the stack rolls back. Walking the cloud assembly as CloudFormation
 * will deploy it (manifests and templates), each such principal must be created in the same stack
 * or in one the granting stack is deployed after; otherwise it must be an outside principal the
 * config names (a Lake Formation admin) or the CDK bootstrap's deploy role.
 */
import { type AssemblyStack, readAssembly } from '../../tools/assembly/cloud-assembly';
import { deployOrderProblems } from '../../tools/assembly/deploy-order';
import { lakeFormationPrincipals } from '../../tools/assembly/principals';
import { sampleApp, sampleConfig } from '../helpers/sample-app';

describe('first-deploy order', () => {
  const { outdir } = sampleApp();
  const stacks = readAssembly(outdir);
  const config = sampleConfig();
  const outside = new Set(config.platform.environments.flatMap((environment) => environment.accountSettings?.lakeFormationAdmins ?? []));

  test('every principal a Lake Formation resource names exists before it', () => {
    expect(deployOrderProblems(stacks, outside)).toEqual([]);
  });

  test('the walk finds the principals of grants, registrations and settings', () => {
    const named = stacks.flatMap((stack) => lakeFormationPrincipals(stack).map(({ principal }) => principal.name));
    expect(named).toEqual(expect.arrayContaining(['acme-dev-finance-analyst', 'acme-dev-finance-curation', 'acme-dev-finance-crawler', 'acme-dev-finance-lf-data-access']));
  });

  test('a grant to a role created by a stack deployed later is reported', () => {
    const governance = stacks.find((stack) => stack.displayName === 'dev/finance-governance')!;
    const transform = stacks.find((stack) => stack.displayName === 'dev/finance-transform')!;
    const roleId = Object.entries(transform.template.Resources!).find(([, r]) => r.Type === 'AWS::IAM::Role')![0];
    const roleName = transform.template.Resources![roleId].Properties.RoleName;
    const late: AssemblyStack = {
      ...governance,
      template: {
        ...governance.template,
        Resources: {
          ...governance.template.Resources,
          Late: { Type: 'AWS::LakeFormation::PrincipalPermissions', Properties: { Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::111111111111:role/${roleName}` }, Resource: {}, Permissions: ['SELECT'] } },
        },
      },
    };
    expect(deployOrderProblems(stacks.map((stack) => (stack.id === governance.id ? late : stack)), outside)).toEqual([
      `dev/finance-governance: Late names role ${roleName}, which dev/finance-transform creates; dev/finance-governance is not deployed after it`,
    ]);
  });
});
