import { ServerConnection } from '@jupyterlab/services';

import {
  collaborationUrl,
  CollaborationsModel
} from '../../collaboration/model';
import { FakeRequest, response } from '../fakes';

describe('CollaborationsModel', () => {
  let answers: Array<() => any>;
  let requests: FakeRequest[];
  let model: CollaborationsModel;
  const vox = (status: string) => ({
    group: 'vox',
    account: 'vox-collab',
    status
  });

  beforeEach(() => {
    answers = [];
    requests = [];
    model = new CollaborationsModel({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost/user/vex/',
        fetch: ((request: FakeRequest) => {
          requests.push(request);
          const next = answers.shift();
          return next
            ? Promise.resolve(next())
            : Promise.reject(new TypeError('offline'));
        }) as any,
        Request: FakeRequest as any
      }),
      auto: false
    });
  });

  afterEach(() => model.dispose());

  it('follows a shared server through stopped → starting → running → stopped', async () => {
    const seen: string[] = [];
    model.changed.connect(() =>
      seen.push(model.collaborations.map(c => c.status).join())
    );
    for (const status of ['stopped', 'starting', 'running', 'running']) {
      answers.push(() =>
        response(200, { collaborations: [vox(status)], degraded: null })
      );
      await model.refresh();
    }
    answers.push(() =>
      response(200, { collaborations: [vox('stopped')], degraded: null })
    );
    answers.push(() =>
      response(200, { collaborations: [vox('stopped')], degraded: null })
    );
    await model.stop('vox-collab');
    expect(requests[requests.length - 2].url.split('?')[0]).toBe(
      'http://localhost/user/vex/hub-groups/api/collaborations/vox-collab/stop'
    );
    expect(requests[requests.length - 2].init.method).toBe('POST');
    expect(seen).toEqual(['stopped', 'starting', 'running', 'stopped']);
  });

  it('says why when the server may not ask the hub', async () => {
    answers.push(() =>
      response(200, {
        collaborations: [vox('unknown')],
        degraded: { code: 'server-token-scopes', message: 'no scopes' }
      })
    );
    await model.refresh();
    expect(model.collaborations[0].status).toBe('unknown');
    expect(model.degraded).toEqual({
      code: 'server-token-scopes',
      message: 'no scopes'
    });
  });

  it('has no cards without an answer (fail closed)', async () => {
    answers.push(() =>
      response(200, { collaborations: [vox('running')], degraded: null })
    );
    await model.refresh();
    answers.push(() => response(502, { message: 'hub down' }));
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.error?.code).toBe('unavailable');
    expect(model.collaborations).toEqual([]);
  });

  it('reports a refused stop with the server message', async () => {
    answers.push(() =>
      response(403, {
        error: 'not-a-member',
        message: 'vex is not in the project of vox-collab.'
      })
    );
    await expect(model.stop('vox-collab')).rejects.toMatchObject({
      status: 403,
      code: 'not-a-member',
      serverMessage: 'vex is not in the project of vox-collab.'
    });
  });

  it('starts a shared server through this server, then reads again', async () => {
    answers.push(() =>
      response(200, { account: 'vox-collab', status: 'starting' })
    );
    answers.push(() =>
      response(200, { collaborations: [vox('starting')], degraded: null })
    );
    await expect(model.startServer('vox-collab')).resolves.toBe('starting');
    expect(requests[0].url.split('?')[0]).toBe(
      'http://localhost/user/vex/hub-groups/api/collaborations/vox-collab/start'
    );
    expect(requests[0].init.method).toBe('POST');
    expect(requests).toHaveLength(2);
    expect(model.collaborations[0].status).toBe('starting');
  });

  it('waits until a started server runs, reading its state again', async () => {
    answers.push(() =>
      response(200, { collaborations: [vox('starting')], degraded: null })
    );
    await model.refresh();
    for (const status of ['starting', 'starting', 'running']) {
      answers.push(() =>
        response(200, { collaborations: [vox(status)], degraded: null })
      );
    }
    await model.whenRunning('vox-collab', { every: 1 });
    expect(requests).toHaveLength(4);
    expect(answers).toHaveLength(0);
  });

  it('says when a server it waits for stops, goes or takes too long', async () => {
    answers.push(() =>
      response(200, { collaborations: [vox('starting')], degraded: null })
    );
    await model.refresh();
    answers.push(() =>
      response(200, { collaborations: [vox('stopped')], degraded: null })
    );
    await expect(
      model.whenRunning('vox-collab', { every: 1 })
    ).rejects.toMatchObject({ code: 'not-started' });
    answers.push(() => response(200, { collaborations: [], degraded: null }));
    await model.refresh();
    await expect(model.whenRunning('vox-collab')).rejects.toMatchObject({
      code: 'not-started'
    });
    answers.push(() =>
      response(200, { collaborations: [vox('starting')], degraded: null })
    );
    await model.refresh();
    await expect(
      model.whenRunning('vox-collab', { timeout: 0 })
    ).rejects.toMatchObject({ code: 'start-timeout' });
  });

  it('ignores a status it does not know', async () => {
    answers.push(() => response(200, { collaborations: [vox('exploding')] }));
    await model.refresh();
    expect(model.collaborations[0].status).toBe('unknown');
  });
});

describe('collaborationUrl', () => {
  it("puts user servers next to the hub prefix, never a hub's spawn page", () => {
    expect(collaborationUrl('', '/hub/', 'vox-collab')).toBe(
      '/user/vox-collab/lab'
    );
    expect(
      collaborationUrl('https://hub.example', '/jupyter/hub/', 'a b')
    ).toBe('https://hub.example/jupyter/user/a%20b/lab');
  });
});
