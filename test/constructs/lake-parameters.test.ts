import { STORAGE_LAYERS, dataBucketName } from '../../lib/config/names';
import { lobStackCases, templateOf } from '../helpers/sample-app';

const parameters = (stack: Parameters<typeof templateOf>[0]) => Object.fromEntries(
  Object.values(templateOf(stack).findResources('AWS::SSM::Parameter')).map((p: any) => [p.Properties.Name, p.Properties.Value]),
);

describe.each(lobStackCases((stacks) => stacks.storage))('$environment/$lob parameters', ({ lob, stacks, names, lobConfig }) => {
  const prefix = `/acme/${names.environment}/${lob}`;

  test('publish bucket names, queues, workgroups and the curation state machine under one prefix', () => {
    expect(parameters(stacks.storage)).toEqual(Object.fromEntries(STORAGE_LAYERS.map((layer) => [`${prefix}/buckets/${layer}`, dataBucketName(names, lob, layer)])));
    expect(Object.keys(parameters(stacks.transform)).sort()).toEqual(
      ['alerts/topic-arn', 'transform/dead-letter-queue-url', 'transform/function-name', 'transform/queue-url'].map((name) => `${prefix}/${name}`));
    expect(parameters(stacks.analytics)).toEqual(Object.fromEntries(lobConfig.personas.map((p) => [`${prefix}/workgroups/${p.name}`, `acme-${names.environment}-${lob}-${p.name}`])));
    expect(Object.keys(parameters(stacks.curation))).toEqual([`${prefix}/curation/state-machine-arn`]);
  });
});
