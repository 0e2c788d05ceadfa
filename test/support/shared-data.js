import { existsSync } from 'node:fs';
import { join } from 'node:path';
/**
 * Real data sets live in `../shared` beside the repository (several have no licence to be copied in).
 * Tests read them from there and skip with a notice where they are absent, as in a user's clone.
 */
const sharedRoot = process.env.SKYGUARD_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared');
export function sharedFile(relativePath) {
    const path = join(sharedRoot, relativePath);
    return existsSync(path) ? path : undefined;
}
/** Reason to pass as `skip` to node:test when a shared file is missing. */
export function missingSharedNotice(relativePath) {
    return `../shared/${relativePath} not present (a user's clone has no shared data); skipped`;
}
//# sourceMappingURL=shared-data.js.map