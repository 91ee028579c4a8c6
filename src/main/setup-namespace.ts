import { setupConfiguredNamespace } from '../../temporal/setup-namespace';
import { runProcess } from './run-process';

// docker-compose's `setup`: registers the namespace and Offload's search attributes on a cluster.
runProcess('[setup-namespace]', ({ config }) => setupConfiguredNamespace(config, (msg) => console.log(`[setup-namespace] ${msg}`)));
