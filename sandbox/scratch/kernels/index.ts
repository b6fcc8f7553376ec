/**
 * The complete kernel table of `scratch`, grouped by kind as in tinygrad: creation, elementwise,
 * reduce, movement, nn, fused training kernels, linear algebra, optim, data and the test oracle.
 */
import type { KernelTable } from "../../kernel/types.js";
import { convLayerKernels } from "./conv-layer.js";
import { creationKernels } from "./creation.js";
import { createDataKernels, type DataSource } from "./data.js";
import { elementwiseKernels } from "./elementwise.js";
import { fusedKernels } from "./fused.js";
import { withGuards } from "./guards.js";
import { linalgKernels } from "./linalg.js";
import { movementKernels } from "./movement.js";
import { nnKernels } from "./nn.js";
import { optimKernels } from "./optim.js";
import { oracleKernels } from "./oracle.js";
import { reduceKernels } from "./reduce.js";

/** Every kernel carries its argument guard (guards.ts); one without a guard refuses every call. */
export function createKernelTable(data: DataSource): KernelTable {
  return withGuards({
    ...creationKernels,
    ...elementwiseKernels,
    ...reduceKernels,
    ...movementKernels,
    ...nnKernels,
    ...fusedKernels,
    ...convLayerKernels,
    ...linalgKernels,
    ...optimKernels,
    ...oracleKernels,
    ...createDataKernels(data),
  });
}
