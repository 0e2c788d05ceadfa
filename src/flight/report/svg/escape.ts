/**
 * Escaping for text that goes into HTML or inline SVG. Everything a log can carry (logged text,
 * parameter and column names, firmware strings, file names) passes through here before it meets markup,
 * so hostile input such as `<script>` or `</svg>` stays text. C0 control characters other than tab and
 * newlines are not valid in XML and are replaced so the SVG stays well-formed.
 */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(value: unknown): string {
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '\ufffd');
}
