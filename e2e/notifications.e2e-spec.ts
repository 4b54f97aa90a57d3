import { randomUUID } from 'node:crypto';
import { developmentToken, SmtpSink, Stack, startSmtpSink, waitFor } from '@otklik/testing';
import { graphql, signedWebhook } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

const APP_URL = 'https://otklik.example';

describe('Step 5 end to end: an AT_RISK deadline sends an e-mail that a local SMTP server receives', () => {
  let stack: Stack;
  let e2e: E2eStack | undefined;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    e2e = await startE2eStack('e2e_notifications', {
      SMTP_URL: smtp.url,
      OTKLIK_APP_URL: APP_URL,
      // The run may fall on a night or a weekend: nothing here is to wait for the morning digest.
      NOTIFY_DEFER_OUTSIDE_WORKING_HOURS: 'false',
    });
    stack = e2e.stack;
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
    await smtp?.close();
  });

  it('a case whose ROUTE deadline is at risk: the district official gets the e-mail with the case’s link; the log shows it SENT', async () => {
    const coordinator = await developmentToken('coordinator');
    const official = await developmentToken('official');
    const organizations = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      coordinator,
      '{ organizations { id code } }',
    );
    const kalmansky = organizations.data?.organizations.find((o) => o.code === 'kalmansky')?.id;
    // Every deadline is at risk from its start: the deadline timers warn at once.
    const policy = await graphql(
      stack.graphqlUrl,
      coordinator,
      'mutation ($input: SetDeadlinePolicyInput!) { setDeadlinePolicy(input: $input) { atRiskMinutes } }',
      { input: { organizationId: kalmansky, atRiskMinutes: 4800 } },
    );
    expect(policy.errors).toBeUndefined();

    const response = await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', {
      externalId: `post-${randomUUID()}`,
      url: 'https://vk.com/wall-1_123?reply=9',
      platform: 'VK',
      text: 'Третий день нет воды на ул. Ленина в Калманке, когда дадут?',
      postedAt: new Date().toISOString(),
    });
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    const caseId = await waitFor(
      `the case of message ${messageId}`,
      async () => {
        const found = await graphql<{ cases: { edges: Array<{ node: { id: string; message: { id: string } } }> } }>(
          stack.graphqlUrl,
          official,
          '{ cases(first: 50) { edges { node { id message { id } } } } }',
        );
        return found.data?.cases.edges.find((e) => e.node.message.id === messageId)?.node.id;
      },
      15_000,
    );

    const mail = await waitFor(
      'the at-risk e-mail',
      () => smtp.received.find((m) => m.subject === 'Отклик: срок на исходе' && m.text.includes(caseId)),
      30_000,
    );
    expect(mail.to).toEqual(['official@kalmansky.example']);
    expect(mail.text).toMatch(/^Срок на исходе: направить обращение нужно до \d\d\.\d\d \d\d:\d\d/);
    expect(mail.text).toContain(`Обращение: ${APP_URL}/cases/${caseId}`);

    // Through the gateway: the official's notification and its delivery log.
    const feed = await graphql<{
      notifications: { edges: Array<{ node: { id: string; kind: string; case: { id: string } | null } }> };
    }>(stack.graphqlUrl, official, '{ notifications(first: 50) { edges { node { id kind case { id } } } } }');
    const atRisk = feed.data?.notifications.edges.find(
      (e) => e.node.kind === 'DEADLINE_AT_RISK' && e.node.case?.id === caseId,
    );
    expect(atRisk).toBeDefined();
    const log = await waitFor('the e-mail delivery SENT', async () => {
      const answer = await graphql<{ notificationDeliveries: Array<{ channel: string; status: string }> }>(
        stack.graphqlUrl,
        official,
        'query ($id: ID!) { notificationDeliveries(notificationId: $id) { channel status } }',
        { id: atRisk!.node.id },
      );
      const rows = answer.data?.notificationDeliveries;
      return rows?.find((r) => r.channel === 'EMAIL')?.status === 'SENT' ? rows : undefined;
    });
    expect(log).toEqual([
      { channel: 'IN_APP', status: 'SENT' },
      { channel: 'EMAIL', status: 'SENT' },
      { channel: 'TELEGRAM', status: 'SKIPPED' },
    ]);
  }, 90_000);
});
