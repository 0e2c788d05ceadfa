import { collectDecodedLog } from '../collect.js';
import type { DecodedLog } from '../decoded-log.js';
import { createTlogDecoder } from './tlog-stream.decoder.js';

export { createTlogDecoder } from './tlog-stream.decoder.js';

/** Decodes a whole tlog held in memory. */
export function decodeTlog(bytes: Uint8Array): DecodedLog {
  return collectDecodedLog(createTlogDecoder, bytes);
}
