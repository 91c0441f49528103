// The newest weights of a training stage known to give a finite loss, kept on the device, so a
// stage that diverges (NaN or infinite loss) leaves the model at its last good weights instead
// of NaNs. Snapshots are tf.clone()s of the variables: a clone shares the variable's buffer and
// an optimizer step assigns a new buffer, so keeping one costs no copy, only the memory of the
// weights it keeps alive.
//
// The loss read back for step s was computed from the weights after step s - 1. So a snapshot
// taken after step j is known good once the loss of step j + 1 is read back finite.
import * as tf from '@tensorflow/tfjs';

interface Snapshot {
  step: number; // steps of the stage done when it was taken
  tensors: tf.Tensor[];
}

export class LastGoodWeights {
  private verified: Snapshot | null = null;
  private candidate: Snapshot;

  /** Takes the first snapshot: the weights the stage starts from. */
  constructor(private readonly params: tf.Variable[]) {
    this.candidate = this.take(0);
  }

  /** Every loss up to step `done` was read back finite: the candidate is good; the weights now become the candidate. */
  confirm(done: number): void {
    if (done <= this.candidate.step) return;
    this.release(this.verified);
    this.verified = this.candidate;
    this.candidate = this.take(done);
  }

  /**
   * The loss of step `badStep` was NaN or infinite: assigns the newest good weights to the
   * variables and returns the step they are from (0: the stage's start), or null when none is known.
   */
  restore(badStep: number): number | null {
    const good = this.candidate.step + 1 < badStep ? this.candidate : this.verified;
    if (!good) return null;
    this.params.forEach((p, i) => p.assign(good.tensors[i]));
    return good.step;
  }

  dispose(): void {
    this.release(this.verified);
    this.release(this.candidate);
    this.verified = null;
  }

  private take(step: number): Snapshot {
    return { step, tensors: this.params.map((p) => tf.clone(p)) };
  }

  private release(s: Snapshot | null): void {
    s?.tensors.forEach((t) => t.dispose());
  }
}
