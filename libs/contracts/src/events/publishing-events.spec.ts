import 'reflect-metadata';
import { EventValidationError, validateEventPayload } from '../event';
import { PublicationCompleted } from './publication-completed.event';
import { SourceChanged } from './source-changed.event';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof EventValidationError) return error.problems;
    throw error;
  }
  throw new Error('the payload passed');
};

describe('source.changed v1 (intake → notify)', () => {
  const valid = {
    sourceId: 'demo-vk',
    organizationId: ORG,
    platform: 'VK',
    kind: 'VK_CALLBACK',
    name: 'Сообщество (демо)',
    enabled: true,
    settings: { groupId: 1, publicUrl: 'https://vk.com/club1' },
    credentialsCiphertext: 'v1.dev.AAAA.BBBB',
    credentialNames: ['accessToken'],
    version: 1_764_000_000_000_000,
    changedAt: '2025-03-03T10:00:00.000Z',
  };

  it('a complete payload passes, its settings kept whole', () => {
    expect(validateEventPayload(SourceChanged, valid)).toEqual(valid);
  });

  it('carries no plaintext credentials: a `credentials` field is dropped, not passed on', () => {
    const payload = validateEventPayload(SourceChanged, { ...valid, credentials: { accessToken: 'secret' } });
    expect(payload).not.toHaveProperty('credentials');
  });

  it('refuses a version that is not a whole number and a kind that is not one of intake’s names', () => {
    expect(
      problemsOf(() => validateEventPayload(SourceChanged, { ...valid, version: 1.5, kind: 'vk callback' })),
    ).toEqual([expect.stringMatching(/^kind:/), expect.stringMatching(/^version:/)]);
  });
});

describe('publication.completed v1 (notify → workflow)', () => {
  const valid = {
    publicationId: '0b6f4a5e-0000-4000-8000-000000000010',
    caseId: '0b6f4a5e-0000-4000-8000-000000000011',
    status: 'PUBLISHED',
    url: 'https://vk.com/wall-1_5?reply=77&thread=7',
    externalId: 'wall-1_5_r77',
    attempts: 1,
    at: '2025-03-03T10:00:00.000Z',
    organizationPath: [ORG],
  };

  it('a complete payload passes', () => {
    expect(validateEventPayload(PublicationCompleted, valid)).toEqual(valid);
  });

  it('refuses a status other than PUBLISHED, FAILED or MANUAL, and a path of non-ids', () => {
    const problems = problemsOf(() =>
      validateEventPayload(PublicationCompleted, { ...valid, status: 'PENDING', organizationPath: ['kalmansky'] }),
    );
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual(['status', 'organizationPath']);
  });
});
