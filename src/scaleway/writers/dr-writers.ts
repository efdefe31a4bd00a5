import type { PlanOperation } from '../../core/plan';
import type { Writer } from '../writers';
import { backupCopyWriter } from './functions';
import { bucketWriter } from './object-storage';
import { veleroScheduleWriter } from './velero';
import { veleroInstallWriter } from './velero-install';

/** Writers of the disaster-recovery kinds, merged into src/scaleway/writers.ts's WRITERS. */
export const DR_WRITERS: Partial<Record<PlanOperation['kind'], Writer>> = {
  bucket: bucketWriter, 'backup-copy': backupCopyWriter, 'velero-schedule': veleroScheduleWriter,
  'velero-install': veleroInstallWriter,
};
