/**
 * CRC-32 (IEEE 802.3 / RFC 1952, reflected polynomial 0xEDB88320), as EVTX headers use it.
 * Slicing-by-8: eight 256-entry tables, eight bytes per step (about 4× the
 * byte-at-a-time loop; every chunk's records CRC is computed, so this is hot).
 */

const TABLES = ((): Uint32Array => {
  const t = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/** The host's CRC-32 (Node's `zlib.crc32`, several GB/s), same results; see `useHostCrc32`. */
let host: ((data: Uint8Array, value: number) => number) | undefined;

/**
 * Lets the host supply a native CRC-32 with zlib's signature (`crc32(data, previous)`);
 * this layer imports no `node:*`, so the file layer installs it.
 * @example useHostCrc32(zlib.crc32)
 */
export function useHostCrc32(fn: ((data: Uint8Array, value: number) => number) | undefined): void {
  host = fn;
}

/**
 * Updates a running CRC-32 with `bytes[start, end)`; start from 0.
 * @example crc32Update(crc32Update(0, a), b) === crc32(concat(a, b))
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (host !== undefined && end - start >= 64) return host(bytes.subarray(start, end), crc) >>> 0;
  const T = TABLES;
  let c = ~crc;
  let i = start;
  const end8 = end - 8;
  while (i <= end8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      T[0x700 + (lo & 0xff)]! ^
      T[0x600 + ((lo >>> 8) & 0xff)]! ^
      T[0x500 + ((lo >>> 16) & 0xff)]! ^
      T[0x400 + (lo >>> 24)]! ^
      T[0x300 + bytes[i + 4]!]! ^
      T[0x200 + bytes[i + 5]!]! ^
      T[0x100 + bytes[i + 6]!]! ^
      T[bytes[i + 7]!]!;
    i += 8;
  }
  for (; i < end; i++) c = T[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of `bytes[start, end)`. @example crc32(new TextEncoder().encode('123456789')) === 0xcbf43926 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Update(0, bytes, start, end);
}
