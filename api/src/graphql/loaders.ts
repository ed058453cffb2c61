import type DataLoader from 'dataloader';
import type { Em } from '../db/orm.js';
import type { Allocation } from '../partners/allocation.entity.js';
import { createAllocationUseLoader } from '../partners/allocation-use.js';
import type { NoteTarget } from '../notes/note-target.entity.js';
import { createSchoolTargetsLoader } from '../notes/school-targets.js';
import type { Visit } from '../visits/visit.entity.js';
import { createWarningsLoader, type VisitWarning } from '../visits/visit-warnings.js';

/**
 * Per-request batch loaders for computed fields that MikroORM's own dataloaders
 * (references and collections) do not cover.
 */
export interface RequestLoaders {
  visitWarnings: DataLoader<Visit, VisitWarning[]>;
  allocationDaysSpent: DataLoader<Allocation, number>;
  schoolTargets: DataLoader<string, NoteTarget[]>;
}

export function createRequestLoaders(em: Em): RequestLoaders {
  return {
    visitWarnings: createWarningsLoader(em),
    allocationDaysSpent: createAllocationUseLoader(em),
    schoolTargets: createSchoolTargetsLoader(em),
  };
}
