import type { Viewer } from '@otklik/auth';
import { DEVELOPMENT_AUTH, signServiceToken } from '@otklik/auth';
import { eventFilter, PublicationRequested, PublicationRequestedV1, SERVICE_HEADER } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { checkUrlToken } from '@otklik/storage';
import { createTestDatabase, FakeS3, startFakeS3, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

/*
 * Photos and videos of drafts (issue Step 3, REQUIREMENTS cl. 10), as a front end uses them:
 * createAttachmentUpload → PUT the bytes to uploadUrl → submitDraft naming attachmentId → the
 * draft's attachment has a URL that serves the bytes. With local storage the URLs are the
 * gateway's; the gateway's hop (check the signed URL, pass the bytes to workflow's internal
 * route with a service token) is done here by `viaGateway`, as apps/gateway does it (its own
 * tests cover the gateway's side).
 */

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;
const PUBLIC_URL = 'https://otklik.test';
const JPEG = Buffer.from('\xff\xd8\xff\xe0 a photo of the new pipe on Lenina street \xff\xd9', 'latin1');
const MB = 1024 * 1024;
/** fetch's body types take a Uint8Array, not a Buffer. */
const bytes = (data: Buffer | string): Uint8Array | string => (typeof data === 'string' ? data : new Uint8Array(data));

interface Upload {
  attachmentId: string;
  uploadUrl: string;
  method: string;
  headers: Array<{ name: string; value: string }>;
  expiresAt: string;
  size: number;
}

interface Answer<T> {
  data?: T;
  code?: string;
  message?: string;
  extensions?: Record<string, unknown>;
}

const UPLOAD = `mutation ($input: CreateAttachmentUploadInput!) {
  createAttachmentUpload(input: $input) { attachmentId uploadUrl method headers { name value } expiresAt size }
}`;
const SUBMIT = `mutation ($input: SubmitDraftInput!) { submitDraft(input: $input) { id status } }`;
const DRAFTS = `query ($id: ID!) {
  case(id: $id) { drafts { version attachments { type url contentType attachmentId } } }
}`;

/** Steps the case through route, register and assign, so that `executor` may draft its answer. */
async function assignedCase(driver: CaseWorkflowDriver, viewers: Record<string, Viewer>): Promise<string> {
  const { id } = await driver.open(KALMANSKY);
  const { official, reception } = viewers;
  await driver.as(official, () => driver.steps.route(official, { caseId: id, organizationId: HOUSING }));
  await driver.as(reception, () => driver.steps.register(reception, { caseId: id }));
  await driver.as(reception, () => driver.steps.assign(reception, { caseId: id, executorLogin: 'executor' }));
  return id;
}

async function graphql<T>(
  workflow: WorkflowUnderTest,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer<T>> {
  const answer = await workflow.graphql<T>(query, variables, viewer);
  const error = answer.errors?.[0];
  if (error) return { code: error.extensions?.code, message: error.message, extensions: error.extensions };
  return { data: answer.data };
}

async function announce(
  workflow: WorkflowUnderTest,
  viewer: Viewer,
  input: Record<string, unknown>,
): Promise<Answer<{ createAttachmentUpload: Upload }>> {
  return graphql(workflow, viewer, UPLOAD, { input });
}

async function drafts(workflow: WorkflowUnderTest, viewer: Viewer, caseId: string) {
  const answer = await graphql<{
    case: { drafts: Array<{ version: number; attachments: Array<Record<string, string | null>> }> };
  }>(workflow, viewer, DRAFTS, { id: caseId });
  if (!answer.data) throw new Error(`${answer.code}: ${answer.message}`);
  return answer.data.case.drafts;
}

describe('attachments of drafts, stored on the local disk (the default)', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers: Record<string, Viewer> = {};

  /**
   * What the gateway does with `PUT|GET /attachments/:key?token=…`: checks the URL's signature for
   * the method and the key, then passes the request on to workflow with its service token.
   */
  async function viaGateway(url: string, init: RequestInit = {}): Promise<Response> {
    const parsed = new URL(url);
    expect(parsed.origin).toBe(PUBLIC_URL);
    const key = /^\/attachments\/([^/]+)$/.exec(parsed.pathname)?.[1] ?? '';
    const access = init.method === 'PUT' ? 'put' : 'get';
    const check = checkUrlToken(
      parsed.searchParams.get('token') ?? undefined,
      DEVELOPMENT_AUTH.internalSecret,
      access,
      key,
    );
    if (!check.ok) return new Response(JSON.stringify({ error: check.reason }), { status: 403 });
    return fetch(`${workflow.url}/internal/attachments/${key}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        [SERVICE_HEADER]: await signServiceToken('gateway', DEVELOPMENT_AUTH.internalSecret),
      },
    });
  }

  const put = (upload: Upload, body: Buffer | string, contentType = upload.headers[0].value) =>
    viaGateway(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes(body) });

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_attachments'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
      env: { ATTACHMENTS_PUBLIC_URL: PUBLIC_URL },
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of ['official', 'reception', 'executor', 'buranovsky.executor']) {
      viewers[login] = await workflow.viewer(login);
    }
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('announce → PUT → submitDraft → the draft serves the photo', () => {
    let caseId: string;
    let upload: Upload;
    let attachment: Record<string, string | null>;

    beforeAll(async () => {
      caseId = await assignedCase(driver, viewers);
      const answer = await announce(workflow, viewers.executor, {
        caseId,
        type: 'PHOTO',
        contentType: 'image/jpeg',
        size: JPEG.length,
        fileName: 'C:\\Users\\zuev\\Фото\\труба.jpg',
      });
      upload = answer.data!.createAttachmentUpload;
    });

    it('createAttachmentUpload tells the front end where and how to send the file', () => {
      expect(upload).toEqual({
        attachmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        uploadUrl: expect.stringMatching(`^${PUBLIC_URL}/attachments/${upload.attachmentId}\\?token=`),
        method: 'PUT',
        headers: [{ name: 'Content-Type', value: 'image/jpeg' }],
        expiresAt: expect.any(String),
        size: JPEG.length,
      });
      const minutes = (Date.parse(upload.expiresAt) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);
    });

    it('the bytes PUT to the upload URL are taken', async () => {
      const response = await put(upload, JPEG);
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({
        attachmentId: upload.attachmentId,
        size: JPEG.length,
        contentType: 'image/jpeg',
      });
    });

    it('an upload is sent once: a second PUT is CONFLICT', async () => {
      const response = await put(upload, JPEG);
      expect(response.status).toBe(409);
      expect(((await response.json()) as { error: string }).error).toContain('is uploaded already');
    });

    it('submitDraft names it by attachmentId; the draft shows it with its type and a fresh URL', async () => {
      const submitted = await graphql<{ submitDraft: { status: string } }>(workflow, viewers.executor, SUBMIT, {
        input: {
          caseId,
          kind: 'FINAL',
          text: 'Водоснабжение восстановлено: участок трубы заменён.',
          attachments: [{ type: 'PHOTO', attachmentId: upload.attachmentId }],
        },
      });
      expect(submitted).toEqual({ data: { submitDraft: { id: caseId, status: 'DRAFT_SUBMITTED' } } });
      [attachment] = (await drafts(workflow, viewers.official, caseId))[0].attachments;
      expect(attachment).toEqual({
        type: 'PHOTO',
        url: expect.stringMatching(`^${PUBLIC_URL}/attachments/${upload.attachmentId}\\?token=`),
        contentType: 'image/jpeg',
        attachmentId: upload.attachmentId,
      });
    });

    it('the draft’s URL serves the bytes to the official’s preview, with the type and the file’s name', async () => {
      const response = await viaGateway(attachment.url!);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('content-disposition')).toBe(
        `inline; filename*=UTF-8''${encodeURIComponent('труба.jpg')}`,
      );
      expect(Buffer.from(await response.arrayBuffer())).toEqual(JPEG);
    });

    it('the draft’s URL serves a range of the bytes (a video player seeks)', async () => {
      const response = await viaGateway(attachment.url!, { headers: { range: 'bytes=4-9' } });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes 4-9/${JPEG.length}`);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(JPEG.subarray(4, 10));
    });

    it('the URL is for reading only: it uploads nothing', async () => {
      expect((await viaGateway(attachment.url!, { method: 'PUT', body: 'x' })).status).toBe(403);
    });

    it('approval hands the publisher a URL of its own, valid for a day, that serves the bytes', async () => {
      const official = viewers.official;
      await driver.as(official, () => driver.steps.approveDraft(official, { caseId }));
      const [request] = (
        await workflow.readEvents<PublicationRequestedV1>(
          eventFilter(workflow.prefix, PublicationRequested),
          (events) => events.some((e) => e.data.caseId === caseId),
          'the publication request',
        )
      ).filter((e) => e.data.caseId === caseId);
      const [published] = request.data.attachments;
      expect(published).toEqual({
        type: 'PHOTO',
        url: expect.any(String),
        contentType: 'image/jpeg',
        fromStorage: true,
      });
      const token = new URL(published.url).searchParams.get('token') ?? undefined;
      const check = checkUrlToken(token, DEVELOPMENT_AUTH.internalSecret, 'get', upload.attachmentId);
      expect(check.ok && (check.expiresAt.getTime() - Date.now()) / 3_600_000).toBeGreaterThan(23.9);
      expect(Buffer.from(await (await viaGateway(published.url)).arrayBuffer())).toEqual(JPEG);
    });
  });

  describe('who may attach: whoever may submit the case’s draft', () => {
    let caseId: string;
    const input = () => ({ caseId, type: 'PHOTO', contentType: 'image/png', size: 100 });

    beforeAll(async () => {
      caseId = await assignedCase(driver, viewers);
    });

    it('an executor of another district does not see the case: NOT_FOUND', async () => {
      expect(await announce(workflow, viewers['buranovsky.executor'], input())).toMatchObject({
        code: 'NOT_FOUND',
        message: `no case ${caseId} among those you may see`,
      });
    });

    it('an official, who approves drafts but writes none: FORBIDDEN', async () => {
      expect((await announce(workflow, viewers.official, input())).code).toBe('FORBIDDEN');
    });

    it('once the draft is submitted, nothing more is attached to it: CONFLICT', async () => {
      const executor = viewers.executor;
      await driver.as(executor, () =>
        driver.steps.submitDraft(executor, { caseId, kind: 'FINAL', text: 'Ответ по существу.' }),
      );
      expect(await announce(workflow, executor, input())).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('is DRAFT_SUBMITTED'),
      });
    });
  });

  describe('what may be attached: the limits, with a message saying what would be accepted', () => {
    let caseId: string;

    beforeAll(async () => {
      caseId = await assignedCase(driver, viewers);
    });

    it('a photo over 20 MB is refused when announced', async () => {
      const answer = await announce(workflow, viewers.executor, {
        caseId,
        type: 'PHOTO',
        contentType: 'image/jpeg',
        size: 25 * MB,
      });
      expect(answer).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'a PHOTO may be at most 20 MB; this one is 25 MB',
        extensions: { reason: 'TOO_LARGE', maxBytes: 20 * MB },
      });
    });

    it('a video over 200 MB is refused when announced', async () => {
      const answer = await announce(workflow, viewers.executor, {
        caseId,
        type: 'VIDEO',
        contentType: 'video/mp4',
        size: 201 * MB,
      });
      expect(answer.message).toBe('a VIDEO may be at most 200 MB; this one is 201 MB');
    });

    it('a type other than the kind’s is refused, naming the accepted ones', async () => {
      const answer = await announce(workflow, viewers.executor, {
        caseId,
        type: 'PHOTO',
        contentType: 'image/svg+xml',
        size: 100,
      });
      expect(answer).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'a PHOTO must be image/jpeg, image/png, image/webp, image/gif; got "image/svg+xml"',
        extensions: {
          reason: 'UNSUPPORTED_TYPE',
          contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
        },
      });
    });

    it('bytes of another type than announced: 415, with the type to send', async () => {
      const upload = (
        await announce(workflow, viewers.executor, { caseId, type: 'PHOTO', contentType: 'image/png', size: 4 })
      ).data!.createAttachmentUpload;
      const response = await put(upload, '<h1>', 'text/html');
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        error:
          'this upload was announced as image/png; the request’s Content-Type is "text/html": send the file with Content-Type image/png',
        code: 'BAD_USER_INPUT',
        reason: 'UNSUPPORTED_TYPE',
      });
    });

    it('more bytes than announced: 413, and nothing is kept', async () => {
      const upload = (
        await announce(workflow, viewers.executor, { caseId, type: 'PHOTO', contentType: 'image/png', size: 4 })
      ).data!.createAttachmentUpload;
      const response = await put(upload, 'twelve bytes');
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toBe(
        'this upload was announced as 4 bytes; the request carries 12: announce the file with its exact size',
      );
      const submitted = await graphql(workflow, viewers.executor, SUBMIT, {
        input: {
          caseId,
          kind: 'FINAL',
          text: 'Ответ.',
          attachments: [{ type: 'PHOTO', attachmentId: upload.attachmentId }],
        },
      });
      expect(submitted).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: `attachments[0]: the file of attachment ${upload.attachmentId} has not been uploaded yet: PUT its bytes to the uploadUrl of createAttachmentUpload, then submit the draft`,
      });
    });

    it('an upload URL opens nothing but its own upload', async () => {
      const upload = (
        await announce(workflow, viewers.executor, { caseId, type: 'PHOTO', contentType: 'image/png', size: 4 })
      ).data!.createAttachmentUpload;
      const other = upload.uploadUrl.replace(upload.attachmentId, '00000000-0000-4000-8000-000000000000');
      expect((await viaGateway(other, { method: 'PUT', body: 'abcd' })).status).toBe(403);
    });
  });

  describe('submitDraft takes only uploaded files of the same case and kind', () => {
    let caseId: string;
    let otherCaseId: string;
    let photo: Upload;

    beforeAll(async () => {
      caseId = await assignedCase(driver, viewers);
      otherCaseId = await assignedCase(driver, viewers);
      photo = (
        await announce(workflow, viewers.executor, {
          caseId: otherCaseId,
          type: 'PHOTO',
          contentType: 'image/jpeg',
          size: JPEG.length,
        })
      ).data!.createAttachmentUpload;
      expect((await put(photo, JPEG)).status).toBe(201);
    });

    const submit = (attachments: unknown[], id = caseId) =>
      graphql(workflow, viewers.executor, SUBMIT, {
        input: { caseId: id, kind: 'FINAL', text: 'Ответ.', attachments },
      });

    it('a file of another case is refused', async () => {
      expect(await submit([{ type: 'PHOTO', attachmentId: photo.attachmentId }])).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: `attachments[0].attachmentId: no attachment ${photo.attachmentId} of case ${caseId}; upload the file with createAttachmentUpload first`,
      });
    });

    it('a photo named as a video is refused', async () => {
      expect(await submit([{ type: 'VIDEO', attachmentId: photo.attachmentId }], otherCaseId)).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: `attachments[0]: attachment ${photo.attachmentId} is a PHOTO, not a VIDEO`,
      });
    });

    it('an attachment is an uploaded file or a link, not both', async () => {
      expect(
        await submit(
          [{ type: 'PHOTO', attachmentId: photo.attachmentId, url: 'https://files.example/a.jpg' }],
          otherCaseId,
        ),
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'attachments[0]: give attachmentId (an uploaded file) or url, not both',
      });
    });

    it('a link into Otklik’s own network is refused (SSRF): the publisher would fetch it', async () => {
      expect(await submit([{ type: 'PHOTO', url: 'http://169.254.169.254/latest/meta-data/iam/x.jpg' }])).toMatchObject(
        {
          code: 'BAD_USER_INPUT',
          message:
            'attachments[0].url must be an address on the public internet (Otklik fetches nothing inside its own network): 169.254.169.254 is a link-local address (cloud metadata lives there); or upload the file',
        },
      );
      expect(await submit([{ type: 'PHOTO', url: 'http://localhost:4000/attachments/x.jpg' }])).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(
          /^attachments\[0\]\.url .*: localhost resolves to (127\.0\.0\.1|::1), a loopback address; or upload the file$/,
        ),
      });
    });

    it('a link to a file already online still works beside an upload', async () => {
      expect(
        await submit(
          [
            { type: 'PHOTO', url: 'https://files.example/lenina.jpg', contentType: 'image/jpeg' },
            { type: 'PHOTO', attachmentId: photo.attachmentId },
          ],
          otherCaseId,
        ),
      ).toMatchObject({ data: { submitDraft: { status: 'DRAFT_SUBMITTED' } } });
      const [draft] = await drafts(workflow, viewers.executor, otherCaseId);
      expect(draft.attachments.map((a) => [a.url?.split('?')[0], a.attachmentId])).toEqual([
        ['https://files.example/lenina.jpg', null],
        [`${PUBLIC_URL}/attachments/${photo.attachmentId}`, photo.attachmentId],
      ]);
    });
  });
});

describe('attachments of drafts, stored in an S3-compatible bucket (presigned URLs)', () => {
  const credentials = { accessKeyId: 'AKIAWORKFLOWTEST', secretAccessKey: 'workflow-test-secret-key-0123456789' };
  let s3: FakeS3;
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers: Record<string, Viewer> = {};

  beforeAll(async () => {
    s3 = await startFakeS3({ bucket: 'otklik-test', region: 'ru-central1', ...credentials });
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_attachments_s3'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
      env: {
        ATTACHMENTS_STORAGE: 's3',
        S3_ENDPOINT: s3.url,
        S3_BUCKET: 'otklik-test',
        S3_REGION: 'ru-central1',
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of ['official', 'reception', 'executor']) viewers[login] = await workflow.viewer(login);
  });
  afterAll(async () => {
    await workflow?.stop();
    await s3?.close();
  });

  it('the client PUTs straight to the bucket; submitDraft finds the file there; the draft’s URL serves it', async () => {
    const caseId = await assignedCase(driver, viewers);
    const upload = (
      await announce(workflow, viewers.executor, {
        caseId,
        type: 'PHOTO',
        contentType: 'image/jpeg',
        size: JPEG.length,
      })
    ).data!.createAttachmentUpload;
    expect(upload.uploadUrl.startsWith(`${s3.url}/otklik-test/${upload.attachmentId}?`)).toBe(true);
    const draft = {
      caseId,
      kind: 'FINAL',
      text: 'Водоснабжение восстановлено.',
      attachments: [{ type: 'PHOTO', attachmentId: upload.attachmentId }],
    };

    expect(await graphql(workflow, viewers.executor, SUBMIT, { input: draft })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('has not been uploaded yet'),
    });

    const headers = Object.fromEntries(upload.headers.map((h) => [h.name, h.value]));
    const put = await fetch(upload.uploadUrl, { method: upload.method, headers, body: bytes(JPEG) });
    expect(put.status).toBe(200);

    expect(await graphql(workflow, viewers.executor, SUBMIT, { input: draft })).toMatchObject({
      data: { submitDraft: { status: 'DRAFT_SUBMITTED' } },
    });
    const [{ attachments }] = await drafts(workflow, viewers.official, caseId);
    expect(attachments[0]).toMatchObject({ attachmentId: upload.attachmentId, contentType: 'image/jpeg' });
    const served = await fetch(attachments[0].url!);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(JPEG);
  });
});
