import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectWithRetry } from './connect-with-retry';
import { temporalConnectionOptions, type TemporalConnectionConfig } from './connection-options';
import { diffSearchAttributes, indexedValueType, projectSearchAttributes, type SearchAttributeSpec } from './search-attributes';

/** gRPC status codes this module reacts to. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** Options for {@link setupNamespace}. */
export interface SetupNamespaceOptions {
  /** Workflow history retention for a namespace this creates. Default: 7 days. */
  retentionDays?: number;
  /** Search attributes the namespace needs. Default: the project's (`src/shared/search-attributes.ts`). */
  searchAttributes?: SearchAttributeSpec[];
  /** How long to wait for a new namespace to become usable. Default: 60 000 ms. */
  timeoutMs?: number;
  /** Receives one line per action taken. Default: discarded. */
  log?: (msg: string) => void;
}

/** What {@link setupNamespace} changed. */
export interface SetupNamespaceResult {
  /** True when the namespace did not exist and was registered. */
  namespaceCreated: boolean;
  /** Names of the search attributes that were added. */
  addedSearchAttributes: string[];
}

/**
 * Prepares a namespace on a real cluster (the dev server does this itself at start): registers
 * it if missing, then adds the custom search attributes it lacks. Safe to run repeatedly.
 * Fails when an attribute exists with another type.
 */
export async function setupNamespace(
  connection: Connection,
  namespace: string,
  options: SetupNamespaceOptions = {},
): Promise<SetupNamespaceResult> {
  const log = options.log ?? (() => undefined);
  const wanted = options.searchAttributes ?? projectSearchAttributes();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const namespaceCreated = await registerIfMissing(connection, namespace, options.retentionDays ?? 7, log);

  for (;;) {
    try {
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      const diff = diffSearchAttributes(listed.customAttributes, wanted);
      if (diff.conflicting.length > 0) {
        const names = diff.conflicting.map((c) => `${c.name} (registered type ${c.registeredType}, wanted ${c.type})`);
        throw new Error(`Namespace ${namespace} has search attributes with the wrong type: ${names.join(', ')}. Remove them or rename ours.`);
      }
      if (diff.missing.length === 0) return { namespaceCreated, addedSearchAttributes: [] };
      const searchAttributes = Object.fromEntries(diff.missing.map((spec) => [spec.name, indexedValueType(spec.type)]));
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
      const added = diff.missing.map((spec) => spec.name);
      log(`Added search attributes to ${namespace}: ${added.join(', ')}`);
      return { namespaceCreated, addedSearchAttributes: added };
    } catch (err) {
      // A namespace that was just registered takes a few seconds to reach every server cache.
      const retryable = isGrpcServiceError(err) && (err.code === NOT_FOUND || err.code === ALREADY_EXISTS);
      if (!retryable || Date.now() > deadline) throw err;
      log(`Namespace ${namespace} not ready for search attributes yet (${err.details}); retrying`);
      await sleep(1000);
    }
  }
}

async function registerIfMissing(connection: Connection, namespace: string, retentionDays: number, log: (msg: string) => void): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== NOT_FOUND) throw err;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
      description: 'Offload: AI tasks offloaded by the robot',
    });
    log(`Registered namespace ${namespace} (retention ${retentionDays} days)`);
    return true;
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === ALREADY_EXISTS) return false;
    throw err;
  }
}

/**
 * The namespace setup (docker-compose's `setup` service): prepares `TEMPORAL_NAMESPACE` on the
 * cluster at `TEMPORAL_ADDRESS` (TLS from `TEMPORAL_TLS_*`), which may take minutes to answer.
 */
export async function setupConfiguredNamespace(config: TemporalConnectionConfig, log: (msg: string) => void): Promise<void> {
  const namespace = config.namespace;
  // A fresh cluster creates its database schema first, which can take a few minutes.
  const connection = await connectWithRetry(temporalConnectionOptions(config), { log, timeoutMs: 300_000 });
  try {
    const result = await setupNamespace(connection, namespace, { log });
    log(
      `Namespace ${namespace} ready (created: ${result.namespaceCreated}, ` +
        `search attributes added: ${result.addedSearchAttributes.join(', ') || 'none'})`,
    );
  } finally {
    await connection.close();
  }
}
