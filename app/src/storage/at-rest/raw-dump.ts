import Dexie from 'dexie';

/**
 * For tests of X2: every row of every table of a database, read past the app (a plain Dexie with no
 * middleware, opened at the version it has), as text: strings as they are, bytes decoded as UTF-8
 * and as UTF-16, blobs read. Whatever a lost device would show appears in it.
 */
export async function rawDump(name: string): Promise<string> {
  const raw = new Dexie(name);
  await raw.open();
  const parts: string[] = [];
  const text = async (value: unknown): Promise<void> => {
    if (value instanceof Blob) parts.push(await value.text());
    else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      parts.push(new TextDecoder('utf-8').decode(bytes), new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length & ~1)));
      // Numbers (the terms table's hashes) also as the numbers they are.
      if (!(value instanceof Uint8Array) && !(value instanceof ArrayBuffer)) parts.push(Array.from(value as unknown as ArrayLike<number>).join(' '));
    } else if (Array.isArray(value)) for (const v of value) await text(v);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) parts.push(k), await text(v);
    else parts.push(String(value));
  };
  for (const table of raw.tables) parts.push(`table:${table.name}`), await text(await table.toArray());
  raw.close();
  return parts.join('\n');
}
