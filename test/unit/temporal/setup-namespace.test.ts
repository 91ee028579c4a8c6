import { Connection } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import { startDevServer, type DevServer } from '../../../temporal/dev-server';
import { resolveTemporalCli } from '../../../temporal/install-cli';
import { projectSearchAttributes } from '../../../temporal/search-attributes';
import { setupNamespace } from '../../../temporal/setup-namespace';

describe('setupNamespace (against a dev server standing in for a cluster)', () => {
  let server: DevServer;
  let connection: Connection;

  beforeAll(async () => {
    server = await startDevServer({ cliPath: await resolveTemporalCli(loadConfig(process.env)), uiPort: false });
    connection = await Connection.connect({ address: server.address });
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  test('registers a missing namespace with 7-day retention and adds the search attributes; a rerun changes nothing', async () => {
    const namespace = `offload-setup-${Date.now()}`;
    const first = await setupNamespace(connection, namespace);
    expect(first.namespaceCreated).toBe(true);
    expect(first.addedSearchAttributes.sort()).toEqual(projectSearchAttributes().map((s) => s.name).sort());

    const described = await connection.workflowService.describeNamespace({ namespace });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 24 * 3600);
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(first.addedSearchAttributes));

    await expect(setupNamespace(connection, namespace)).resolves.toEqual({ namespaceCreated: false, addedSearchAttributes: [] });
  });

  test('an attribute registered with another type is an error, not a silent mismatch', async () => {
    await expect(
      setupNamespace(connection, 'default', { searchAttributes: [{ name: 'OffloadRobot', type: 'INT' }] }),
    ).rejects.toThrow(/OffloadRobot.*wrong type|wrong type.*OffloadRobot/);
  });
});
