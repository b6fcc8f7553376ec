/**
 * The error a kernel guard throws for arguments it refuses: the guest sees its message (which
 * names the scratch operation and the shapes involved) as a catchable RangeError, and nothing was
 * allocated or computed. Any other exception out of a kernel is treated as a failure of the tensor
 * backend itself and ends the run.
 */
export class KernelArgumentError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "KernelArgumentError";
  }
}
