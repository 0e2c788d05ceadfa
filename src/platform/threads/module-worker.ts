import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a sibling module given by its `.ts` source URL, whether this process runs
 * from TypeScript sources (tsx) or from the built `dist/`. Worker threads do not inherit tsx's loader,
 * so from source the thread registers it before importing the module.
 */
export function startModuleWorker(sourceUrl: URL): Worker {
  const fromSource = sourceUrl.pathname.endsWith('.ts') && import.meta.url.endsWith('.ts');
  const url = fromSource ? sourceUrl : new URL(sourceUrl.href.replace(/\.ts$/, '.js'));
  if (!fromSource) return new Worker(url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true });
}
