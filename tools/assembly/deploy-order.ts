/**
 * First-deploy order: every principal a Lake Formation resource names must exist before it,
 * created in the same stack or in one the naming stack is deployed after; or be a principal from
 * outside the app that the config names (a Lake Formation admin) or `cdk bootstrap` created.
 * Lake Formation refuses a grant to a principal that does not exist, and the stack rolls back.
 */
import { type AssemblyStack, deployedBefore } from './cloud-assembly';
import { lakeFormationPrincipals } from './principals';

/** Where each IAM role is created, by role name. */
function roleHomes(stacks: readonly AssemblyStack[]): Map<string, AssemblyStack> {
  const homes = new Map<string, AssemblyStack>();
  for (const stack of stacks) {
    for (const resource of Object.values(stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::IAM::Role' && typeof resource.Properties?.RoleName === 'string') homes.set(resource.Properties.RoleName, stack);
    }
  }
  return homes;
}

/** `outside`: ARNs of principals the config names, as config spells them. */
export function deployOrderProblems(stacks: readonly AssemblyStack[], outside: ReadonlySet<string>): string[] {
  const homes = roleHomes(stacks);
  const outsideNames = new Set([...outside].map((arn) => arn.replace(/^.*:(?:role|user)\/(?:.*\/)?/, '')));
  const problems: string[] = [];
  for (const stack of stacks) {
    const before = deployedBefore(stacks, stack);
    for (const { resource, principal } of lakeFormationPrincipals(stack)) {
      const home = principal.kind === 'role' ? homes.get(principal.name) : undefined;
      if (home) {
        if (home.id !== stack.id && !before.has(home.id)) {
          problems.push(`${stack.displayName}: ${resource} names role ${principal.name}, which ${home.displayName} creates; ${stack.displayName} is not deployed after it`);
        }
        continue;
      }
      if (principal.bootstrap || outside.has(principal.arnPattern) || outsideNames.has(principal.name)) continue;
      problems.push(`${stack.displayName}: ${resource} names ${principal.arnPattern}, which no stack creates and the config does not name`);
    }
  }
  return problems;
}
