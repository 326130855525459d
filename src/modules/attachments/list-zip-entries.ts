/**
 * The names in a ZIP archive, read from its central directory (APPNOTE.TXT §4.3.12–4.3.16) without inflating
 * anything: enough to tell an OFD package (GB/T 33190, a ZIP whose root holds `OFD.xml`) from a DOCX or any
 * other ZIP. Returns null when the bytes are not a well-formed ZIP (or a ZIP64 one, which no file within the
 * upload limit needs).
 */

const LOCAL_FILE_HEADER = 0x04034b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 10_000;

export interface ZipEntry {
  name: string;
  localHeaderOffset: number;
  compressedSize: number;
}

export function listZipEntries(bytes: Buffer): ZipEntry[] | null {
  if (bytes.length < EOCD_SIZE + 30 || bytes.readUInt32LE(0) !== LOCAL_FILE_HEADER) return null;
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd < 0) return null;
  const diskNumber = bytes.readUInt16LE(eocd + 4);
  const cdDisk = bytes.readUInt16LE(eocd + 6);
  const entriesOnDisk = bytes.readUInt16LE(eocd + 8);
  const totalEntries = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  // multi-disk archives and ZIP64 markers (0xFFFF / 0xFFFFFFFF) are not accepted
  if (diskNumber !== 0 || cdDisk !== 0 || entriesOnDisk !== totalEntries) return null;
  if (totalEntries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null;
  if (totalEntries === 0 || totalEntries > MAX_ENTRIES || cdOffset + cdSize > eocd) return null;

  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < totalEntries; i++) {
    if (at + 46 > cdOffset + cdSize || bytes.readUInt32LE(at) !== CENTRAL_FILE_HEADER) return null;
    const flags = bytes.readUInt16LE(at + 8);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localHeaderOffset = bytes.readUInt32LE(at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > cdOffset + cdSize || localHeaderOffset + 30 > cdOffset) return null;
    if (bytes.readUInt32LE(localHeaderOffset) !== LOCAL_FILE_HEADER) return null;
    // bit 11: the name is UTF-8; otherwise CP437 — either way ASCII names such as OFD.xml read the same
    const raw = bytes.subarray(at + 46, at + 46 + nameLength);
    entries.push({ name: raw.toString(flags & 0x0800 ? 'utf8' : 'latin1'), localHeaderOffset, compressedSize });
    at = next;
  }
  return entries;
}

/** The last end-of-central-directory record whose comment reaches exactly to the end of the bytes. */
function findEndOfCentralDirectory(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY && at + EOCD_SIZE + bytes.readUInt16LE(at + 20) === bytes.length) return at;
  }
  return -1;
}
