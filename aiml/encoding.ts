/**
 * Turns the bytes of an AIML file into text, honouring a byte order mark or the XML declaration's
 * `encoding` (ALICE ships ISO-8859-1 files; Free-AIML has some with bytes that are not valid UTF-8).
 */

export interface DecodedText {
  text: string;
  /** Set when the bytes did not fit the declared encoding and a fallback was used. */
  warning?: string;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII and sits at the very start; 200 bytes is plenty.
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(200, bytes.length)));
  if (!head.startsWith('<?xml')) return undefined;
  const end = head.indexOf('?>');
  const decl = end === -1 ? head : head.slice(0, end);
  const m = /encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(decl);
  return m?.[1]?.toLowerCase();
}

function decoderFor(label: string): { decode(bytes: Uint8Array): string } | undefined {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
}

export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  const declared = declaredEncoding(bytes);
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8') return decodeUtf8(bytes);
  const decoder = decoderFor(declared);
  if (!decoder) {
    const r = decodeUtf8(bytes);
    return { text: r.text, warning: `unknown encoding '${declared}' in the XML declaration; read as UTF-8${r.warning ? ` (${r.warning})` : ''}` };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), warning: `bytes that are not valid ${declared}; read as Windows-1252` };
  }
}

function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    // Real bots contain Latin-1 bytes in files that declare nothing: read them rather than lose the file.
    return { text: new TextDecoder('windows-1252').decode(bytes), warning: 'the file is not valid UTF-8; read as Windows-1252 (declare encoding="ISO-8859-1" to silence this)' };
  }
}

/** Decodes a plain text store (set, map, substitution, properties): UTF-8, or Windows-1252 when that fails. */
export function decodeTextBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3));
  return decodeUtf8(bytes);
}
