/**
 * The part of y-leveldb's API the benchmark's equal-work @y/websocket-server uses (the package
 * ships declarations its "exports" map does not point TypeScript at).
 */
declare module "y-leveldb" {
  import type * as Y from "yjs";

  export class LeveldbPersistence {
    constructor(location: string);
    getYDoc(docName: string): Promise<Y.Doc>;
    storeUpdate(docName: string, update: Uint8Array): Promise<number>;
    destroy(): Promise<void>;
  }
}
