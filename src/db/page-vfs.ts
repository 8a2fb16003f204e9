/**
 * An in-memory SQLite VFS written in JS, for the official SQLite WASM build:
 * every database file is a PageFile (page-file.ts), outside the WASM heap,
 * and every xWrite marks the chunks it touches.
 *
 * Locking is a no-op (one connection per file, in one thread), xSync is a
 * no-op (nothing here is durable; durability is the persistence layer's
 * job), and randomness and time come from the build's default VFS.
 */
import { PageFile } from './page-file.js';

/** The slice of the SQLite WASM module this VFS needs (typed here to keep the surface small). */
export interface WasmSqlite {
  capi: {
    sqlite3_vfs: new (pointer?: number) => VfsStruct;
    sqlite3_io_methods: new (pointer?: number) => StructWithMethods & { $iVersion: number };
    sqlite3_file: { structInfo: { sizeof: number } };
    sqlite3_vfs_find(name: string | null): number;
  };
  wasm: {
    allocCString(s: string): number;
    cstrToJs(p: number): string;
    heap8u(): Uint8Array;
  };
  vfs: { installVfs(opt: unknown): unknown };
}
interface StructWithMethods {
  pointer: number;
  installMethods(methods: Record<string, (...args: never[]) => number>, argcCheck?: boolean): unknown;
}
interface VfsStruct extends StructWithMethods {
  $iVersion: number;
  $szOsFile: number;
  $mxPathname: number;
  $zName: number;
  $xRandomness: number;
  $xSleep: number;
  $xCurrentTime: number;
  $xCurrentTimeInt64: number;
  $xGetLastError: number;
  dispose(): void;
}

const OK = 0;
const IOERR_SHORT_READ = 522;
const CANTOPEN = 14;
const NOTFOUND = 12;
const OPEN_CREATE = 0x04;
const OPEN_DELETEONCLOSE = 0x08;
/** ATOMIC | SAFE_APPEND | SEQUENTIAL | POWERSAFE_OVERWRITE, as SQLite's own in-memory files report. */
const DEVICE_CHARACTERISTICS = 0x1 | 0x200 | 0x400 | 0x1000;

/** A registered page VFS: files by name, and the name SQLite opens them with. */
export interface PageVfs {
  readonly name: string;
  /** Make `file` openable as `path` (replacing any file there). */
  mount(path: string, file: PageFile): void;
  unmount(path: string): void;
}

const installed = new WeakMap<object, PageVfs>();

/** Register (once per module) the page VFS under `name`. */
export function installPageVfs(sqlite3: WasmSqlite, name = 'ff-pages'): PageVfs {
  const existing = installed.get(sqlite3);
  if (existing) return existing;
  const { capi, wasm } = sqlite3;
  const byName = new Map<string, PageFile>();
  const byPointer = new Map<number, { path: string; file: PageFile; flags: number }>();
  // heap8u() re-takes its view when the WASM memory has grown; the DataView follows it.
  const bytes = (p: number, n: number): Uint8Array => wasm.heap8u().subarray(p, p + n);
  let dataView = new DataView(wasm.heap8u().buffer);
  const view = (): DataView => {
    const buffer = wasm.heap8u().buffer;
    if (dataView.buffer !== buffer) dataView = new DataView(buffer);
    return dataView;
  };

  const io = new capi.sqlite3_io_methods();
  io.$iVersion = 1;
  const ioMethods = {
    xClose(pFile: number): number {
      const open = byPointer.get(pFile);
      byPointer.delete(pFile);
      if (open && open.flags & OPEN_DELETEONCLOSE) byName.delete(open.path);
      return OK;
    },
    xRead(pFile: number, pDest: number, n: number, offset: bigint | number): number {
      return byPointer.get(pFile)!.file.read(bytes(pDest, n), Number(offset)) ? OK : IOERR_SHORT_READ;
    },
    xWrite(pFile: number, pSrc: number, n: number, offset: bigint | number): number {
      byPointer.get(pFile)!.file.write(bytes(pSrc, n), Number(offset));
      return OK;
    },
    xTruncate(pFile: number, size: bigint | number): number {
      byPointer.get(pFile)!.file.truncate(Number(size));
      return OK;
    },
    xSync: (): number => OK,
    xFileSize(pFile: number, pSize: number): number {
      view().setBigInt64(pSize, BigInt(byPointer.get(pFile)!.file.size), true);
      return OK;
    },
    xLock: (): number => OK,
    xUnlock: (): number => OK,
    xCheckReservedLock(_pFile: number, pOut: number): number {
      view().setInt32(pOut, 0, true);
      return OK;
    },
    xFileControl: (): number => NOTFOUND,
    xSectorSize: (): number => 4096,
    xDeviceCharacteristics: (): number => DEVICE_CHARACTERISTICS,
  };

  const vfs = new capi.sqlite3_vfs();
  const fallback = new capi.sqlite3_vfs(capi.sqlite3_vfs_find(null));
  vfs.$iVersion = 2;
  vfs.$szOsFile = capi.sqlite3_file.structInfo.sizeof;
  vfs.$mxPathname = 512;
  vfs.$zName = wasm.allocCString(name);
  vfs.$xRandomness = fallback.$xRandomness;
  vfs.$xSleep = fallback.$xSleep;
  vfs.$xCurrentTime = fallback.$xCurrentTime;
  vfs.$xCurrentTimeInt64 = fallback.$xCurrentTimeInt64;
  vfs.$xGetLastError = fallback.$xGetLastError;
  fallback.dispose();
  let anonymous = 0;
  const vfsMethods = {
    xOpen(_pVfs: number, zName: number, pFile: number, flags: number, pOutFlags: number): number {
      const path = zName ? wasm.cstrToJs(zName) : `/temp-${++anonymous}`;
      let file = byName.get(path);
      if (!file) {
        if (!(flags & OPEN_CREATE)) return CANTOPEN;
        file = new PageFile();
        byName.set(path, file);
      }
      byPointer.set(pFile, { path, file, flags });
      const v = view();
      v.setUint32(pFile, io.pointer, true); // sqlite3_file.pMethods
      if (pOutFlags) v.setInt32(pOutFlags, flags, true);
      return OK;
    },
    xDelete(_pVfs: number, zName: number): number {
      byName.delete(wasm.cstrToJs(zName));
      return OK;
    },
    xAccess(_pVfs: number, zName: number, _flags: number, pOut: number): number {
      view().setInt32(pOut, byName.has(wasm.cstrToJs(zName)) ? 1 : 0, true);
      return OK;
    },
    xFullPathname(_pVfs: number, zName: number, nOut: number, pOut: number): number {
      const path = new TextEncoder().encode(wasm.cstrToJs(zName));
      if (path.byteLength + 1 > nOut) return CANTOPEN;
      const out = bytes(pOut, path.byteLength + 1);
      out.set(path);
      out[path.byteLength] = 0;
      return OK;
    },
  };
  sqlite3.vfs.installVfs({ io: { struct: io, methods: ioMethods }, vfs: { struct: vfs, methods: vfsMethods } });

  const result: PageVfs = {
    name,
    mount: (path, file) => void byName.set(path, file),
    unmount: (path) => void byName.delete(path),
  };
  installed.set(sqlite3, result);
  return result;
}
