/**
 * A client-supplied file name is metadata, never a path: we keep its last path component, drop
 * control and bidi-override characters, normalise to NFC and cap it at 255 characters. Blobs are
 * stored by hash, so no name ever reaches the file system; this only keeps the name safe to show
 * and to send back in Content-Disposition.
 */
export function sanitizeFileName(raw: string | undefined): string {
  if (!raw) return '';
  const base = raw.split(/[/\\]/).pop() ?? '';
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const noDots = /^\.+$/.test(clean) ? '' : clean;
  return [...noDots].slice(0, 255).join('');
}

/** `Content-Disposition: attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266/5987). */
export function contentDisposition(name: string, fallback: string): string {
  const safe = name || fallback;
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
