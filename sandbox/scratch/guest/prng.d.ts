// Types for the host-side TypeScript that imports the guest's generator by path (the bench's
// resampling); the sandbox reads only the .js files of this folder.
export function mulberry32(state: number): () => number;
