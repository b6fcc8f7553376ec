// The guest library is plain JavaScript; tests import it untyped ("scratch" and "scratch/…" resolve
// to sandbox/scratch/guest/ through the vitest alias).
declare module "scratch";
declare module "scratch/*";
