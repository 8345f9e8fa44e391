import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bearerToken, unary, type ServiceBinding } from '@gantry/grpc';
import { GetLeaseResponse, RentalServiceService, type GetLeaseRequest } from '@gantry/proto';
import { ApiServices } from '../api/api-services';
import { CONFIG, LOGGER, PORTAL_DIR } from '../infrastructure/tokens';
import { RecordingLog } from '../testing/recording-log';
import { PortalController } from './portal.controller';
import { RpcController } from './rpc.controller';

const rental: ServiceBinding = {
  name: 'gantry.v1.RentalService',
  definition: RentalServiceService,
  implementation: {
    getLease: unary('GetLease', async (req: GetLeaseRequest, call) =>
      GetLeaseResponse.fromPartial({
        lease: { id: req.leaseId, renter: bearerToken(call.metadata), gpus: 2 },
      }),
    ),
    // A bug: a response that does not encode (gpus missing).
    releaseLease: unary('ReleaseLease', async () => ({ lease: { id: 'lease_1' } })),
  },
};

describe('the HTTP JSON bridge and the portal files', () => {
  let app: INestApplication;
  let base: string;
  let portal: string;
  const log = new RecordingLog();

  async function start(portalDir: string): Promise<void> {
    @Module({
      controllers: [RpcController, PortalController],
      providers: [
        { provide: ApiServices, useValue: { public: () => [rental] } },
        { provide: CONFIG, useValue: { maxMessageBytes: 1024 } },
        { provide: PORTAL_DIR, useValue: portalDir },
        { provide: LOGGER, useValue: log.logger },
      ],
    })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false, bodyParser: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as { address(): { port: number } }).address();
    base = `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    portal = mkdtempSync(path.join(tmpdir(), 'gantry-portal-'));
    writeFileSync(path.join(portal, 'index.html'), '<!doctype html><title>Gantry</title>');
    writeFileSync(path.join(portal, 'main.js'), 'export {};');
    writeFileSync(path.join(portal, 'format.spec.js'), 'test');
    writeFileSync(path.join(portal, 'notes.txt'), 'secret');
    await start(portal);
  });

  afterAll(async () => {
    await app.close();
    rmSync(portal, { recursive: true, force: true });
  });

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: 'Bearer k1', ...headers },
    });

  it('calls the gRPC handler with the JSON body and the authorization header, and answers JSON', async () => {
    const response = await post('/rpc/gantry.v1.RentalService/GetLease', '{"leaseId":"lease_1"}');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      lease: { id: 'lease_1', renter: 'k1', gpus: 2, state: 'LEASE_STATE_UNSPECIFIED' },
    });
  });

  it('answers errors as { code, message, violations }', async () => {
    const bad = await post('/rpc/gantry.v1.RentalService/GetLease', '{"lease_ID": 1}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'lease_ID: is not a field of gantry.v1.GetLeaseRequest',
      violations: [{ field: 'lease_ID', message: 'is not a field of gantry.v1.GetLeaseRequest' }],
    });
    const unknown = await post('/rpc/gantry.v1.AgentGatewayService/Register', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers INTERNAL for a response that does not encode, and logs why', async () => {
    const response = await post('/rpc/gantry.v1.RentalService/ReleaseLease', '{}');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      code: 'INTERNAL',
      message: 'internal error (see the server log)',
    });
    expect(log.withMessage('JSON bridge call failed')).toEqual([
      expect.objectContaining({ method: 'gantry.v1.RentalService/ReleaseLease' }),
    ]);
  });

  it('takes JSON only, with POST only, up to the message size limit', async () => {
    const text = await post('/rpc/gantry.v1.RentalService/GetLease', 'leaseId=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const get = await fetch(`${base}/rpc/gantry.v1.RentalService/GetLease`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const big = await post(
      '/rpc/gantry.v1.RentalService/GetLease',
      `{"leaseId":"${'x'.repeat(2000)}"}`,
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
  });

  it('serves the portal at /portal/ with a strict content security policy', async () => {
    const redirect = await fetch(`${base}/portal`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('portal/');
    const page = await fetch(`${base}/portal/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>Gantry</title>');
    const script = await fetch(`${base}/portal/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves only the portal files of known types, nothing else', async () => {
    for (const name of ['notes.txt', 'format.spec.js', '..%2Fpackage.json', 'nope.js']) {
      const response = await fetch(`${base}/portal/${name}`);
      expect(response.status).toBe(404);
    }
  });

  it('says how to build the portal when it is not built', async () => {
    await app.close();
    await start(path.join(portal, 'missing'));
    const response = await fetch(`${base}/portal/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npx nx run portal:build');
    expect(log.lines.map((l) => l.msg)).toContain(
      'the web portal is not built: /portal answers 404',
    );
  });
});
