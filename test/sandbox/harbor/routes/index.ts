import type { Routes } from '../state';
import { artifactsRoutes } from './artifacts';
import { projectsRoutes } from './projects';
import { registriesRoutes } from './registries';
import { replicationRoutes } from './replication';
import { scanRoutes } from './scan';
import { systemRoutes } from './system';

// The emulator's route table: every implemented Harbor operation, keyed by its swagger operationId, one module per
// API area. A new area (e.g. accessories) is a module exporting `{ operationId: handler } satisfies Routes`, added here.

const AREAS: Routes[] = [
  systemRoutes,
  projectsRoutes,
  artifactsRoutes,
  scanRoutes,
  registriesRoutes,
  replicationRoutes,
];

function merge<T extends Routes[]>(areas: T): Routes {
  const all: Routes = {};
  for (const area of areas) {
    for (const [op, handler] of Object.entries(area)) {
      if (Object.hasOwn(all, op)) throw new Error(`two route modules handle ${op}`);
      all[op] = handler;
    }
  }
  return all;
}

export const ROUTES: Readonly<Routes> = merge(AREAS);
